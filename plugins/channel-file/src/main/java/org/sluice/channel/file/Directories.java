package org.sluice.channel.file;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.sluice.support.config.ConfigValues;

/**
 * A file channel's directories, resolved from Flume's keys with the channel's defaults. The factory and the
 * check ({@link FileChannelCheck}, reading a properties file) both use it, so that the check looks where the
 * channel writes.
 *
 * @param checkpointDir       null only for the check of data directories alone ({@code --dataDirs}, what Flume's
 *                            FCINTEGRITYTOOL takes)
 * @param backupCheckpointDir null without {@code useDualCheckpoints}
 */
record Directories(Path checkpointDir, Path backupCheckpointDir, List<Path> dataDirs) {

    /** Makes the error for a bad value of a key: a ConfigurationException in the factory, a usage error in the check. */
    interface KeyError<E extends Exception> {
        E at(String key, String message);
    }

    /**
     * @param home the channel's own directory, {@code <data>/<agent>/<channel>}: asked for only when a default
     *             is needed (the platform creates it when asked)
     */
    static <E extends Exception> Directories resolve(String checkpointDir, boolean useDualCheckpoints,
            String backupCheckpointDir, String dataDirs, Supplier<Path> home, KeyError<E> error) throws E {
        Path homeDir = null;
        Path checkpoint = path("checkpointDir", checkpointDir, error);
        if (checkpoint == null) {
            homeDir = home.get();
            checkpoint = homeDir.resolve("checkpoint");
        }
        Path backup = null;
        if (useDualCheckpoints) {
            backup = path("backupCheckpointDir", backupCheckpointDir, error);
            if (backup == null) {
                homeDir = homeDir == null ? home.get() : homeDir;
                backup = homeDir.resolve("backupCheckpoint");
            }
            if (backup.toAbsolutePath().normalize().equals(checkpoint.toAbsolutePath().normalize())) {
                throw error.at("backupCheckpointDir", "must differ from checkpointDir (" + checkpoint + ")");
            }
        }
        List<Path> data = new ArrayList<>();
        for (String entry : (dataDirs == null ? "" : dataDirs).split(",")) {
            Path dir = path("dataDirs", entry.trim(), error);
            if (dir != null && !data.contains(dir)) {
                data.add(dir);
            }
        }
        if (data.isEmpty()) {
            homeDir = homeDir == null ? home.get() : homeDir;
            data.add(homeDir.resolve("data"));
        }
        for (Path dir : data) {
            if (dir.toAbsolutePath().normalize().equals(checkpoint.toAbsolutePath().normalize())) {
                throw error.at("dataDirs", "must not contain checkpointDir (" + checkpoint + ")");
            }
        }
        return new Directories(checkpoint, backup, List.copyOf(data));
    }

    private static <E extends Exception> Path path(String key, String value, KeyError<E> error) throws E {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Path.of(ConfigValues.withHome(value));
        } catch (InvalidPathException e) {
            throw error.at(key, "'" + value + "' is not a valid path: " + e.getMessage());
        }
    }
}
