package org.sluice.sink.hdfs;

import java.util.ArrayList;
import java.util.List;

import org.sluice.api.event.Event;

import java.util.concurrent.ScheduledFuture;

import org.apache.hadoop.fs.Path;

/**
 * One file of a bucket (a resolved directory and file prefix): written under its in-use name and renamed to
 * its final name once closed. Guarded by the sink's lock while open; once handed to the retries only the
 * retry task touches it.
 */
final class BucketFile {
    final String bucket;
    final Path inUsePath;
    final Path finalPath;
    FileFormat.Writer writer;
    long events;
    long bytes;
    /**
     * The batch's events for this file, not handed to Hadoop yet: they are written in one call with the sync,
     * rather than one call (a thread hand-off with a time limit) per event.
     */
    final List<Event> pending = new ArrayList<>();
    /** Events appended since the last sync: the file holds data no batch has made durable yet. */
    boolean dirty;
    boolean closed;
    /** Left in use by an earlier run: its lease is recovered (HDFS) before the rename. */
    boolean leftover;
    int renameAttempts;
    ScheduledFuture<?> rollTimer;
    ScheduledFuture<?> idleTimer;

    BucketFile(String bucket, Path inUsePath, Path finalPath) {
        this.bucket = bucket;
        this.inUsePath = inUsePath;
        this.finalPath = finalPath;
    }

    void cancelTimers() {
        if (rollTimer != null) {
            rollTimer.cancel(false);
        }
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
    }

    @Override
    public String toString() {
        return inUsePath.toString();
    }
}
