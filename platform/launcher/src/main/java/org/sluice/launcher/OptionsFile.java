package org.sluice.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Flume 1.10+'s command options file for {@code flume-ng agent}: agent options written as properties, one option a
 * line by its long or short name ({@code conf-file = example.conf}, {@code name = a1}). Flume reads
 * {@code /etc/flume/flume.opts}, else {@code flume.opts} on its class path, which starts with the configuration
 * directory ({@code -c}). An option the command line gives wins over the file's; an option without a value
 * ({@code no-reload-conf}) counts when its value is {@code true}, {@code yes} or {@code 1}.
 *
 * <p>One difference, deliberate: Flume loads the file into a {@code java.util.Properties}, so of the User Guide's own
 * example, two {@code conf-file} lines, it keeps the last and drops the first without a word. Here every line counts,
 * in order, as the guide means it: both files are merged.
 */
final class OptionsFile {
    /** Where Flume looks first. */
    static final Path SYSTEM_FILE = Path.of("/etc/flume/flume.opts");
    /** Its name in the configuration directory. */
    static final String NAME = "flume.opts";
    /** Set by bin/flume-ng: Flume's command reads Flume's options file; Sluice's own command line does not. */
    static final String ENABLED_PROPERTY = "sluice.flume.opts";

    /** Flume's agent options: long name, short name, whether a value follows, and Sluice's other spelling. */
    private record Option(String longName, String shortName, boolean takesValue, String sluiceName) {
        Option(String longName, String shortName, boolean takesValue) {
            this(longName, shortName, takesValue, null);
        }

        boolean givenIn(List<String> args) {
            return args.stream().anyMatch(arg -> named(arg, "--" + longName) || named(arg, "--" + sluiceName)
                    || shortName != null && arg.equals("-" + shortName));
        }

        private static boolean named(String arg, String option) {
            return arg.equals(option) || arg.startsWith(option + "=");
        }
    }

    private static final List<Option> OPTIONS = List.of(
            new Option("name", "n", true),
            new Option("conf-file", "f", true),
            new Option("conf-uri", "u", true),
            new Option("auth-provider", "a", true),
            new Option("conf-provider", "prov", true),
            new Option("conf-user", "user", true),
            new Option("conf-password", "pwd", true),
            new Option("poll-interval", "i", true, "conf-poll-interval"),
            new Option("backup-directory", "b", true),
            new Option("no-reload-conf", null, false),
            new Option("zkConnString", "z", true),
            new Option("zkBasePath", "p", true),
            new Option("help", "h", false));

    private OptionsFile() {
    }

    /** The file Flume would read: {@code systemFile} if it is there, else {@code flume.opts} in {@code confDir}. */
    static Optional<Path> locate(Path systemFile, Path confDir) {
        if (Files.isRegularFile(systemFile)) {
            return Optional.of(systemFile);
        }
        Path inConfDir = confDir.resolve(NAME);
        return Files.isRegularFile(inConfDir) ? Optional.of(inConfDir) : Optional.empty();
    }

    /** The {@code -c/--conf} directory the arguments name, if any (before they are parsed, to find the file). */
    static Optional<Path> confDirectory(String[] args) {
        for (int i = 1; i < args.length; i++) {
            if ((args[i].equals("-c") || args[i].equals("--conf")) && i + 1 < args.length) {
                return Optional.of(Path.of(args[i + 1]));
            }
            if (args[i].startsWith("--conf=")) {
                return Optional.of(Path.of(args[i].substring("--conf=".length())));
            }
        }
        return Optional.empty();
    }

    /**
     * The arguments followed by the file's options that the arguments do not give, in the file's order.
     *
     * @throws UsageException naming the file when it cannot be read or names an option Flume's agent does not have
     */
    static String[] merge(String[] args, Path file) throws UsageException {
        List<Map.Entry<String, String>> lines = read(file);
        List<String> given = Arrays.asList(args).subList(1, args.length);
        List<String> merged = new ArrayList<>(Arrays.asList(args));
        for (Map.Entry<String, String> line : lines) {
            Option option = named(line.getKey()).orElseThrow(() -> new UsageException(file + ": '" + line.getKey()
                    + "' is not an option of Flume's agent (" + OPTIONS.stream().map(Option::longName)
                    .collect(Collectors.joining(", ")) + ")"));
            if (option.givenIn(given)) {
                continue;
            }
            String value = line.getValue().trim();
            if (option.takesValue()) {
                merged.add("--" + option.longName());
                merged.add(value);
            } else if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("yes") || value.equals("1")) {
                merged.add("--" + option.longName());
            }
        }
        return merged.toArray(String[]::new);
    }

    /** Options as text for a message, the value of {@code --conf-password} hidden. */
    static String shown(String[] options) {
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < options.length; i++) {
            boolean secret = i > 0 && options[i - 1].equals("--conf-password");
            shown.add(secret ? "****" : options[i]);
        }
        return String.join(" ", shown);
    }

    private static Optional<Option> named(String key) {
        String name = key.trim().replaceFirst("^-{1,2}", "");
        return OPTIONS.stream().filter(option -> option.longName().equals(name) || name.equals(option.shortName()))
                .findFirst();
    }

    /** Every line's key and value in order, a repeated key included (properties syntax). */
    private static List<Map.Entry<String, String>> read(Path file) throws UsageException {
        List<Map.Entry<String, String>> lines = new ArrayList<>();
        Properties inOrder = new Properties() {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Object put(Object key, Object value) {
                lines.add(Map.entry(key.toString(), value.toString()));
                return super.put(key, value);
            }
        };
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            inOrder.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("cannot read the options file " + file + ": " + e.getMessage());
        }
        return lines;
    }
}
