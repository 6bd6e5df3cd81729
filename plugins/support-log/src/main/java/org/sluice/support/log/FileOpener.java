package org.sluice.support.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens the files of an {@link AppendLog}. The log's one seam to the file system, so that tests can inject the
 * failures a disk has (a failed write, force or read) where they would happen.
 */
public interface FileOpener {
    /** The file system as it is. */
    FileOpener DEFAULT = new FileOpener() {
    };

    /** A new file to append to, which must not exist yet. */
    default FileChannel create(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** An existing file, to read records from. */
    default FileChannel openForReading(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.READ);
    }
}
