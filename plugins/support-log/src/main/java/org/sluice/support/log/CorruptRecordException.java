package org.sluice.support.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What is on disk proves a record damaged (a bad magic, length or checksum, the file cut short or gone): reading
 * it again cannot help. Any other IOException of a read may pass, and loses nothing.
 */
public class CorruptRecordException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptRecordException(Path file, long offset, String what) {
        super("corrupt record in " + file + " at offset " + offset + ": " + what);
    }

    public CorruptRecordException(String message) {
        super(message);
    }
}
