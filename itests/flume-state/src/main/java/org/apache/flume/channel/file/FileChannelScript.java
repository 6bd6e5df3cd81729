package org.apache.flume.channel.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.apache.flume.Context;
import org.sluice.flumestate.ChannelScript;

/**
 * Runs a {@link ChannelScript} on Apache Flume 1.11.0's own file channel: {@code FileChannelScript <channel.properties>
 * <script>}. In Flume's package for its checkpoint, which the channel offers to its own package only
 * ({@code getLog()}, {@code Log.BackgroundWorker}).
 */
public final class FileChannelScript {
    private FileChannelScript() {
    }

    public static void main(String[] args) throws Exception {
        Context context = ChannelScript.context(args[0]);
        FileChannel channel = new FileChannel();
        ChannelScript.run(channel, context, args[1], () -> checkpoint(channel, context));
    }

    /** Flume's checkpoint, now; with useDualCheckpoints, its backup too, waited for. */
    private static void checkpoint(FileChannel channel, Context context) {
        Path backup = context.getBoolean("useDualCheckpoints", false)
                ? Path.of(context.getString("backupCheckpointDir")) : null;
        try {
            if (backup != null) {
                // The previous backup must be done before a checkpoint may start.
                awaitBackup(backup);
            }
            new Log.BackgroundWorker(channel.getLog()).run();
            if (backup != null) {
                Thread.sleep(200);
                awaitBackup(backup);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a checkpoint", e);
        }
    }

    private static void awaitBackup(Path backup) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(backup.resolve(EventQueueBackingStore.BACKUP_COMPLETE_FILENAME))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Flume's backup checkpoint did not complete in 30 s");
            }
            Thread.sleep(50);
        }
    }
}
