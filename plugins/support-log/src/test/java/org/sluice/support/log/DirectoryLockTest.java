package org.sluice.support.log;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLockTest {
    @TempDir
    Path root;

    @Test
    void aDirectoryIsHeldByOneLogAtATime() throws Exception {
        Path dir = root.resolve("data");
        assertFalse(DirectoryLock.isHeld(dir));
        assertFalse(Files.exists(dir.resolve(DirectoryLock.FILE)), "probing creates nothing");
        try (DirectoryLock held = DirectoryLock.acquire(dir)) {
            assertTrue(Files.isDirectory(dir), "made if missing");
            assertTrue(DirectoryLock.isHeld(dir));
            DirectoryLock.InUseException e = assertThrows(DirectoryLock.InUseException.class,
                    () -> DirectoryLock.acquire(dir));
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        }
        assertFalse(DirectoryLock.isHeld(dir));
        DirectoryLock.acquire(dir).close();
    }
}
