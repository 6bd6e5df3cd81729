package org.sluice.source.spooldir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The file being read: its reader, the headers its events get, and how far its events are committed. Its
 * size and modification time are those it had when picked up; a file that changes after that is not read on.
 */
final class SpooledFile {
    final String relative;
    final Path path;
    final long size;
    final long lastModified;
    final EventReader reader;
    final Map<String, String> headers;
    /** The reader's position after the last committed event. */
    long committed;
    /** Events committed from this file. */
    long events;

    SpooledFile(DirectoryScanner.Candidate candidate, EventReader reader, long committed, long events,
            Map<String, String> headers) {
        this.relative = candidate.relative();
        this.path = candidate.path();
        this.size = candidate.size();
        this.lastModified = candidate.lastModified();
        this.reader = reader;
        this.committed = committed;
        this.events = events;
        this.headers = headers;
    }

    /** The committed position in words: "byte 1234", "record 17". */
    String committedPosition() {
        return reader.positionUnit() + " " + committed;
    }

    /** Null if the file is as it was when picked up, else what changed. */
    String changeSincePickedUp() {
        long nowSize;
        long nowModified;
        try {
            nowSize = Files.size(path);
            nowModified = Files.getLastModifiedTime(path).toMillis();
        } catch (NoSuchFileException e) {
            return "it was removed or renamed while being read; " + events + " events were delivered";
        } catch (IOException e) {
            return "cannot look at it: " + e + "; " + events + " events were delivered";
        }
        if (nowSize != size || nowModified != lastModified) {
            return "it changed after it was picked up (size " + size + " -> " + nowSize + ", modified "
                    + lastModified + " -> " + nowModified + "); " + events + " events up to "
                    + committedPosition() + " were delivered";
        }
        return null;
    }
}
