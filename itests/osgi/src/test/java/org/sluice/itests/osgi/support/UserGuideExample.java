package org.sluice.itests.osgi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One of the Flume User Guide's examples, read from the shared files of platform/runtime's config corpus
 * ({@code flume-configs/userguide}, named by the system property {@value #DIRECTORY_PROPERTY}), with only the
 * values that must differ on a test machine changed: each change names the key, the new value and why, and a key
 * that is not in the file fails the test, so a change can never silently stop applying. Everything else of the
 * file reaches the agent exactly as the guide prints it.
 */
public final class UserGuideExample {

    public static final String DIRECTORY_PROPERTY = "sluice.itests.userguide";

    private final String name;
    private final List<String> lines;
    private final Map<String, String> reasons = new LinkedHashMap<>();

    private UserGuideExample(String name, List<String> lines) {
        this.name = name;
        this.lines = lines;
    }

    public static UserGuideExample load(String name) {
        String directory = System.getProperty(DIRECTORY_PROPERTY);
        if (directory == null || directory.isBlank() || directory.contains("${")) {
            throw new IllegalStateException("System property " + DIRECTORY_PROPERTY + " does not name the User "
                    + "Guide examples' directory: run the tests through Maven");
        }
        Path file = Paths.get(directory, name);
        try {
            return new UserGuideExample(name, new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the User Guide example " + file, e);
        }
    }

    /** Replaces the value of every {@code key = value} line of {@code key}; fails if there is none. */
    public UserGuideExample set(String key, String value, String why) {
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int equals = line.indexOf('=');
            if (!line.trim().startsWith("#") && equals > 0 && line.substring(0, equals).trim().equals(key)) {
                lines.set(i, key + " = " + value);
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException("The User Guide example " + name + " has no key " + key
                    + " to set to " + value + " (" + why + ")");
        }
        reasons.put(key, value + "  (" + why + ")");
        return this;
    }

    /** Writes the file as the agent reads it into {@code directory}; returns its path. */
    public Path writeTo(Path directory) {
        Path file = directory.resolve(name);
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        return file;
    }

    /** What was changed, for a failure message. */
    public Map<String, String> changes() {
        return reasons;
    }
}
