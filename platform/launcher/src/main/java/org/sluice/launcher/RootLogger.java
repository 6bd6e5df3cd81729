package org.sluice.launcher;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Flume's {@code -Dflume.root.logger=LEVEL,appender...} (also spelled {@code -Dsluice.root.logger}), mapped
 * onto Sluice's log4j2.xml: a level, and which of its two appenders, Console and LogFile, receive events.
 * Flume's appender names {@code console}, {@code LOGFILE} and {@code DRFA} are understood, case-insensitively.
 *
 * @param level   the root level
 * @param console whether the console appender is used
 * @param file    whether the rolling log file is used
 */
record RootLogger(String level, boolean console, boolean file) {
    private static final Set<String> LEVELS = Set.of("ALL", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "OFF");
    private static final Set<String> CONSOLE_NAMES = Set.of("console", "stdout", "stderr");
    private static final Set<String> FILE_NAMES = Set.of("logfile", "file", "drfa", "rfa");

    /**
     * @param spec     for example {@code INFO,console}; a level alone keeps both appenders
     * @param warnings collects what was ignored, to be reported once logging works
     */
    static Optional<RootLogger> parse(String spec, List<String> warnings) {
        if (spec == null || spec.isBlank()) {
            return Optional.empty();
        }
        String[] parts = spec.split(",");
        String level = parts[0].trim().toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            warnings.add("root logger '" + spec + "': unknown level '" + parts[0].trim() + "', using INFO");
            level = "INFO";
        }
        if (parts.length == 1) {
            return Optional.of(new RootLogger(level, true, true));
        }
        boolean console = false;
        boolean file = false;
        for (int i = 1; i < parts.length; i++) {
            String appender = parts[i].trim().toLowerCase(Locale.ROOT);
            if (CONSOLE_NAMES.contains(appender)) {
                console = true;
            } else if (FILE_NAMES.contains(appender)) {
                file = true;
            } else if (!appender.isEmpty()) {
                warnings.add("root logger '" + spec + "': unknown appender '" + parts[i].trim()
                        + "' (known: console, LOGFILE)");
            }
        }
        if (!console && !file) {
            // Logging nowhere is never what a mistyped appender meant.
            return Optional.of(new RootLogger(level, true, true));
        }
        return Optional.of(new RootLogger(level, console, file));
    }

    /** The threshold of an appender: the root level when it is chosen, OFF when not. */
    String consoleLevel() {
        return console ? level : "OFF";
    }

    String fileLevel() {
        return file ? level : "OFF";
    }
}
