package org.sluice.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Directories only the agent's user may read (0700), on file systems with POSIX permissions. */
final class PrivateFiles {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /**
     * Gives {@code directory} mode 0700 if it allowed more.
     *
     * @return true if its permissions were narrowed
     */
    static boolean makePrivate(Path directory) throws IOException {
        if (Files.getFileAttributeView(directory, PosixFileAttributeView.class) == null) {
            return false;
        }
        Set<PosixFilePermission> current = Files.getPosixFilePermissions(directory);
        if (current.equals(OWNER_ONLY)) {
            return false;
        }
        Files.setPosixFilePermissions(directory, OWNER_ONLY);
        return true;
    }
}
