package org.sluice.support.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens the files of an {@link AppendLog}. The log's one seam to the file system, so that tests can inject the
 * failures a disk has (a failed write, force or read) where they would happen.
 */
@FunctionalInterface
public interface FileOpener {
    /** Why a file is opened. */
    enum Purpose {
        /** A new file to append to, which must not exist yet. */
        CREATE,
        /** An existing file, to read records from. */
        READ
    }

    /** The file system as it is. */
    FileOpener DEFAULT = (path, purpose) -> purpose == Purpose.CREATE
            ? FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
            : FileChannel.open(path, StandardOpenOption.READ);

    FileChannel open(Path path, Purpose purpose) throws IOException;
}
