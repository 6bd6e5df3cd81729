package org.sluice.sink.fileroll;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * Names the sink's files as Flume's path managers do: {@code <prefix><series>-<n>[.<extension>]}, where the
 * series is the start time in milliseconds (DEFAULT) or the local time of the roll as yyyyMMddHHmmss
 * (ROLLTIME), and n counts the files of the series from 1. Not thread safe: the sink's lock guards it.
 */
final class PathManager {

    /** The naming schemes of {@code sink.pathManager}. */
    enum Naming {
        DEFAULT, ROLLTIME;

        static final String ACCEPTED_NAMES = "DEFAULT, ROLLTIME, "
                + "org.apache.flume.formatter.output.DefaultPathManager$Builder or "
                + "org.apache.flume.formatter.output.RollTimePathManager$Builder";

        static Optional<Naming> named(String name) {
            switch (name.trim().toUpperCase(Locale.ROOT)) {
                case "DEFAULT":
                case "ORG.APACHE.FLUME.FORMATTER.OUTPUT.DEFAULTPATHMANAGER$BUILDER":
                    return Optional.of(DEFAULT);
                case "ROLLTIME":
                case "ORG.APACHE.FLUME.FORMATTER.OUTPUT.ROLLTIMEPATHMANAGER$BUILDER":
                    return Optional.of(ROLLTIME);
                default:
                    return Optional.empty();
            }
        }
    }

    private static final DateTimeFormatter ROLL_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final Path directory;
    private final Naming naming;
    private final String prefix;
    private final String extension;
    private String series;
    private int index;
    private Path current;

    PathManager(Path directory, Naming naming, String prefix, String extension) {
        this.directory = directory;
        this.naming = naming;
        this.prefix = prefix;
        this.extension = extension;
        // DEFAULT names one series per sink instance; ROLLTIME starts a series on each new second.
        this.series = naming == Naming.DEFAULT ? Long.toString(System.currentTimeMillis()) : null;
    }

    Path directory() {
        return directory;
    }

    /** The file being written, chosen on first use after a {@link #rotate()}. */
    Path currentFile() {
        if (current == null) {
            current = nextFile();
        }
        return current;
    }

    /** The next call to {@link #currentFile()} names a new file. */
    void rotate() {
        current = null;
    }

    private Path nextFile() {
        if (naming == Naming.ROLLTIME) {
            String now = ROLL_TIME.format(LocalDateTime.now());
            if (!now.equals(series)) {
                series = now;
                index = 0;
            }
        }
        index++;
        String name = prefix + series + "-" + index + (extension.isEmpty() ? "" : "." + extension);
        return directory.resolve(name);
    }
}
