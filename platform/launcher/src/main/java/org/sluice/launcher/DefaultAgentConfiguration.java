package org.sluice.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The agent {@code sluice agent} runs without -f: the Flume User Guide's first example, embedded in the
 * org.sluice.config jar. The platform reads configuration files only, so it is written out to
 * data/default-agent.properties at every start (edits there do not survive a restart: copy the file and
 * pass it with -f instead).
 */
final class DefaultAgentConfiguration {
    static final String RESOURCE = "org/sluice/config/default-agent.properties";
    static final String FILE_NAME = "default-agent.properties";

    private static final String HEADER = "# Written by the Sluice launcher at every start from the embedded default "
            + "(" + RESOURCE + ").\n# Edits here are overwritten: copy this file and run it with "
            + "`sluice agent -n a1 -f <copy>`.\n\n";

    private DefaultAgentConfiguration() {
    }

    /** Writes the default configuration into the directory (atomically: the platform may be reading it). */
    static Path writeTo(Path directory) throws IOException {
        byte[] content;
        try (InputStream in = DefaultAgentConfiguration.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is not on the class path: lib/ lacks the org.sluice.config jar");
            }
            content = in.readAllBytes();
        }
        Files.createDirectories(directory);
        Path target = directory.resolve(FILE_NAME);
        Path temporary = Files.createTempFile(directory, FILE_NAME, ".tmp");
        try {
            Files.write(temporary, HEADER.getBytes(StandardCharsets.UTF_8));
            Files.write(temporary, content, StandardOpenOption.APPEND);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return target;
    }
}
