package org.sluice.source.taildir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * A file's identity on a Unix file system: its device and inode, which a rename keeps and a copy does not. The
 * position file holds the inode alone (Flume's format); the device keeps two file systems' inodes apart while the
 * source runs.
 */
record FileId(long device, long inode) {

    /** What one look at a file's attributes tells (one {@code stat}). */
    record Stat(FileId id, long size, long modified) {
    }

    /** Follows a symbolic link, as Flume does: the link's target is the file tailed. */
    static Stat stat(Path path) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(path, "unix:dev,ino,size,lastModifiedTime",
                new LinkOption[0]);
        return new Stat(new FileId((Long) attributes.get("dev"), (Long) attributes.get("ino")),
                (Long) attributes.get("size"), ((FileTime) attributes.get("lastModifiedTime")).toMillis());
    }
}
