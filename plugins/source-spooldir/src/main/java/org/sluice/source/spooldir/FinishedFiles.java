package org.sluice.source.spooldir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What becomes of a file once all its events are committed, as {@code deletePolicy} and {@code trackingPolicy}
 * say: deleted ({@code immediate}), renamed with {@code fileSuffix} ({@code rename}, Flume's default), or left
 * where it is and marked by an empty file of that name under trackerDir ({@code tracker_dir}). A finished name
 * is never overwritten.
 */
final class FinishedFiles {
    private final Settings settings;

    FinishedFiles(Settings settings) {
        this.settings = settings;
    }

    /**
     * Deletes, marks or renames the file.
     *
     * @throws FileAlreadyExistsException when its finished name (or mark) is taken: the file is left as it is
     */
    void finish(Path path, String relative) throws IOException {
        if (settings.deleteImmediately()) {
            Files.delete(path);
        } else if (settings.trackerDirPolicy()) {
            Path mark = mark(relative);
            Files.createDirectories(mark.getParent());
            Files.createFile(mark);
        } else {
            // No REPLACE_EXISTING and no ATOMIC_MOVE (which may replace): an existing name fails.
            Files.move(path, finishedName(path));
        }
    }

    /** What {@link #finish} does, for messages. */
    String action() {
        return settings.deleteImmediately() ? "deleted" : "marked finished";
    }

    /** Under the tracker_dir policy: whether the file was finished before (and so is not read again). */
    boolean isMarked(String relative) {
        return settings.trackerDirPolicy() && Files.exists(mark(relative));
    }

    /**
     * Under the rename policy, the name a new file cannot be finished under because an earlier file took it;
     * null when its finished name is free or the policy renames nothing.
     */
    Path takenFinishedName(Path path) {
        if (settings.deleteImmediately() || settings.trackerDirPolicy()) {
            return null;
        }
        Path finished = finishedName(path);
        return Files.exists(finished) ? finished : null;
    }

    private Path finishedName(Path file) {
        return file.resolveSibling(file.getFileName() + settings.fileSuffix());
    }

    private Path mark(String relative) {
        return settings.trackerDir().resolve(relative + settings.fileSuffix());
    }
}
