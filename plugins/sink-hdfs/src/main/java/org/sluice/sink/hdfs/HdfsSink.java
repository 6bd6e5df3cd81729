package org.sluice.sink.hdfs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.event.Event;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;

/**
 * Flume's HDFS sink. Each event goes to the bucket its {@code hdfs.path} and {@code hdfs.filePrefix}
 * resolve to; each bucket has at most one open file, written under its in-use name. At the end of a batch
 * every file the batch wrote to is synced (hflush) and only then is the take committed.
 *
 * <p>Each file is a {@link BucketWriter}; this class keeps the map of open files and the transaction. A file is
 * closed when it reaches {@code hdfs.rollCount} events or {@code hdfs.rollSize} body bytes, after
 * {@code hdfs.rollInterval} seconds open, after {@code hdfs.idleTimeout} seconds without a batch, when more
 * than {@code hdfs.maxOpenFiles} are open (the least recently used), at stop, and after a failed batch. A
 * closed file is renamed to its final name. A close or rename that fails is retried every
 * {@code hdfs.retryInterval} seconds ({@code hdfs.closeTries} attempts, 0 = until it works); a file that holds
 * an event is never deleted, and one still in use at a crash or a stop is renamed when the sink next writes to
 * its directory.
 *
 * <p>Batches, timers and maxOpenFiles evictions take one lock, so a file is never closed under a batch that
 * writes to it.
 */
final class HdfsSink implements Sink {
    /** Flume's logger name, so log configurations written for Flume still apply. */
    private static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.sink.hdfs.HDFSEventSink");
    /** Buckets remembered as already searched for leftovers. */
    private static final int RECOVERED_BUCKETS = 10_000;

    /** What the factory made of the configuration. */
    static final class Settings {
        PathTemplate path;
        PathTemplate filePrefix;
        String fileSuffix;
        String inUsePrefix;
        String inUseSuffix;
        long rollIntervalSeconds;
        long rollSize;
        long rollCount;
        long idleTimeoutSeconds;
        int batchSize;
        int maxOpenFiles;
        long callTimeoutMillis;
        int threadsPoolSize;
        int rollTimerPoolSize;
        int closeTries;
        long retryIntervalSeconds;
        /** hdfs.kerberosPrincipal, hdfs.kerberosKeytab, hdfs.proxyUser. */
        Hadoop.Identity identity;
        /** The agent's conf directory (-c), searched first for core-site.xml and hdfs-site.xml; null outside an agent. */
        java.io.File agentConfDir;
        Map<String, String> hadoopSettings;
        /** Made once Hadoop's configuration exists, at start: codecs are looked up through it. */
        FormatFactory format;
    }

    /** The file format, made at start because codecs are looked up through Hadoop's configuration. */
    interface FormatFactory {
        FileFormat create(org.apache.hadoop.conf.Configuration conf) throws ConfigurationException;
    }

    private final SinkContext context;
    private final String name;
    private final Channel channel;
    private final SinkCounter counter;
    private final Settings settings;

    /** Fair, so a waiting timer gets its turn between two batches of a busy sink. */
    private final ReentrantLock lock = new ReentrantLock(true);
    /** The open file of each bucket, least recently used first; guarded by {@link #lock}. */
    private final LinkedHashMap<String, BucketWriter> open = new LinkedHashMap<>(16, 0.75f, true);
    /** Buckets whose leftover in-use files were looked for; guarded by {@link #lock}. */
    private final Set<String> recovered = java.util.Collections.newSetFromMap(new LinkedHashMap<String, Boolean>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            // Bounded for paths with fine time escapes (%S, %t): a bucket forgotten is only listed once more.
            return size() > RECOVERED_BUCKETS;
        }
    });
    /** Files closed but not yet renamed, waiting for a retry. */
    private final Set<BucketWriter> retrying = ConcurrentHashMap.newKeySet();
    /** The number in the next file name: the clock in ms, but always more than the last one used. */
    private long lastFileNumber;

    private Hadoop hadoop;
    private FileFormat format;
    private BucketWriter.Shared files;
    private ScheduledExecutorService timers;

    HdfsSink(SinkContext context, Settings settings) {
        this.context = context;
        this.name = context.componentName();
        this.channel = context.channel();
        this.counter = context.counter();
        this.settings = settings;
    }

    @Override
    public void start() throws Exception {
        // Nothing here connects to HDFS: an unreachable cluster fails batches (and they are retried), not the start.
        // A Kerberos login is the exception: it asks the KDC, and a refused principal or key fails the start here.
        hadoop = Hadoop.open(context, HadoopConfigurationFiles.of(settings.agentConfDir, System.getenv()),
                settings.hadoopSettings, settings.callTimeoutMillis, settings.threadsPoolSize, settings.identity);
        String local;
        try {
            format = hadoop.onCallThread("set up the file format", () -> settings.format.create(hadoop.conf()));
            local = hadoop.onCallThread("check fs.defaultFS", () -> hadoop.localFallback(settings.path.toString()));
        } catch (ConfigurationException | IOException | RuntimeException e) {
            hadoop.close();
            throw e;
        }
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(settings.rollTimerPoolSize,
                Hadoop.threads(name + "-hdfs-timer"));
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timers = executor;
        files = new BucketWriter.Shared(hadoop, format, counter, name, settings.rollSize, settings.rollCount,
                settings.callTimeoutMillis);
        LOG.info("hdfs sink {} writing {} to {}", name, format, settings.path);
        if (local != null) {
            // Not refused: writing a scheme-less path to the local disk is what Hadoop does, and may be meant.
            LOG.warn("hdfs sink {}: {}", name, local);
        }
    }

    @Override
    public Status process() throws EventDeliveryException {
        lock.lock();
        try {
            return writeBatch();
        } finally {
            lock.unlock();
        }
    }

    private Status writeBatch() throws EventDeliveryException {
        Transaction transaction = channel.getTransaction();
        transaction.begin();
        int taken = 0;
        Set<BucketWriter> touched = new LinkedHashSet<>();
        try {
            for (Event event; taken < settings.batchSize && (event = channel.take()) != null; ) {
                taken++;
                write(event, touched);
            }
            flushAll(touched);
            transaction.commit();
        } catch (Throwable t) {
            abandon(touched);
            rollBack(transaction, t);
            if (t instanceof ChannelException) {
                counter.incrementChannelReadFail();
            } else {
                counter.incrementEventWriteFail();
            }
            if (t instanceof Error) {
                throw (Error) t;
            }
            throw new EventDeliveryException("hdfs sink " + name + " could not write a batch of " + taken
                    + " events; they stay in the channel", t);
        } finally {
            counter.addToEventDrainAttemptCount(taken);
            transaction.close();
        }
        counter.countBatch(taken, settings.batchSize);
        counter.addToEventDrainSuccessCount(taken);
        scheduleIdleTimers(touched);
        return taken == 0 ? Status.BACKOFF : Status.READY;
    }

    private void write(Event event, Set<BucketWriter> touched) throws IOException, PathTemplate.UnresolvableException {
        long now = System.currentTimeMillis();
        String directory = settings.path.resolve(event.getHeaders(), now);
        String prefix = settings.filePrefix.resolve(event.getHeaders(), now);
        String bucket = directory + "/" + prefix;
        BucketWriter file = open.get(bucket);
        if (file != null && !file.accepts(event)) {
            // An event of another Avro schema: the file keeps the records of its own.
            file.flush();
            touched.remove(file);
            closeAndRename(file);
            file = null;
        }
        if (file == null) {
            file = openFile(bucket, directory, prefix);
        }
        touched.add(file);
        file.append(event);
        if (file.reachedRollSize()) {
            // Flushed first: if that fails the batch fails, and its events are written again elsewhere.
            file.flush();
            touched.remove(file);
            closeAndRename(file);
        }
    }

    private BucketWriter openFile(String bucket, String directory, String prefix) throws IOException {
        Path dir = new Path(directory);
        if (recovered.add(bucket)) {
            try {
                recoverLeftovers(hadoop.fileSystem(dir), dir, prefix);
            } catch (IOException | RuntimeException e) {
                recovered.remove(bucket);
                throw e;
            }
        }
        long number = Math.max(System.currentTimeMillis(), lastFileNumber + 1);
        lastFileNumber = number;
        String suffix = settings.fileSuffix.isEmpty() ? format.defaultExtension() : settings.fileSuffix;
        String fileName = prefix + "." + number + suffix;
        BucketWriter file = BucketWriter.create(bucket,
                new Path(dir, settings.inUsePrefix + fileName + settings.inUseSuffix), new Path(dir, fileName), files);
        open.put(bucket, file);
        if (settings.rollIntervalSeconds > 0) {
            file.scheduleRoll(timers, settings.rollIntervalSeconds, () -> closeByTimer(file, "rollInterval"));
        }
        if (open.size() > settings.maxOpenFiles) {
            BucketWriter evicted = open.values().iterator().next();
            LOG.debug("hdfs sink {}: more than {} files open (hdfs.maxOpenFiles), closing {}", name,
                    settings.maxOpenFiles, evicted);
            // It may hold events of this batch: flushed first, so a failure fails the batch rather than lose them.
            evicted.flush();
            closeAndRename(evicted);
        }
        return file;
    }

    /**
     * Renames the in-use files a previous run of this bucket left behind (a crash, a stop whose close or
     * rename failed) to their final names, after HDFS recovered their lease. What they hold was synced by a
     * committed batch or belongs to a batch that was rolled back and is written again: nothing is deleted.
     */
    private void recoverLeftovers(FileSystem fs, Path dir, String prefix) throws IOException {
        if (settings.inUsePrefix.isEmpty() && settings.inUseSuffix.isEmpty()) {
            return; // in-use and final names are the same: there is nothing to rename
        }
        FileStatus[] statuses;
        try {
            statuses = hadoop.call("list " + dir, () -> fs.listStatus(dir));
        } catch (FileNotFoundException e) {
            return; // a new directory: no leftovers
        }
        String start = settings.inUsePrefix + prefix + ".";
        for (FileStatus status : statuses) {
            String fileName = status.getPath().getName();
            if (!status.isFile() || !fileName.startsWith(start) || !fileName.endsWith(settings.inUseSuffix)
                    || fileName.length() <= start.length() + settings.inUseSuffix.length()
                    || !Character.isDigit(fileName.charAt(start.length()))) {
                continue;
            }
            if (retrying.stream().anyMatch(f -> f.inUsePath.equals(status.getPath()))) {
                continue; // this run's own file, already being retried
            }
            String finalName = fileName.substring(settings.inUsePrefix.length(),
                    fileName.length() - settings.inUseSuffix.length());
            BucketWriter leftover = BucketWriter.leftover(status.getPath(), new Path(dir, finalName), files);
            LOG.info("hdfs sink {} found {} left in use by an earlier run; renaming it to {}", name, leftover,
                    leftover.finalPath);
            if (!leftover.closeAndRename()) {
                scheduleRetry(leftover);
            }
        }
    }

    /** Flushes every file of the batch; one by one, each within hdfs.callTimeout. */
    private static void flushAll(Set<BucketWriter> touched) throws IOException {
        for (BucketWriter file : touched) {
            if (!file.isClosed()) {
                file.flush();
            }
        }
    }

    /**
     * Takes a file whose content is flushed out of the map, closes and renames it. A failure here loses nothing
     * (the data is in HDFS already), so it is not the batch's failure: the file goes to the retries and stays
     * in-use until then.
     */
    private void closeAndRename(BucketWriter file) {
        open.remove(file.bucket, file);
        if (!file.closeAndRename()) {
            scheduleRetry(file);
        }
    }

    private void scheduleRetry(BucketWriter file) {
        if (timers.isShutdown()) {
            retrying.add(file); // stopping: stop() makes the last attempt
            return;
        }
        boolean triesLeft = settings.closeTries == 0 || file.renameAttempts() < settings.closeTries;
        if (settings.retryIntervalSeconds <= 0 || !triesLeft) {
            retrying.remove(file);
            LOG.error("hdfs sink {} gives up closing and renaming {} (hdfs.closeTries {}, hdfs.retryInterval {} s); "
                    + "it keeps its in-use name and is renamed when this sink next writes to its directory",
                    name, file, settings.closeTries, settings.retryIntervalSeconds);
            return;
        }
        retrying.add(file);
        timers.schedule(() -> {
            if (file.closeAndRename()) {
                retrying.remove(file);
            } else {
                scheduleRetry(file);
            }
        }, settings.retryIntervalSeconds, TimeUnit.SECONDS);
    }

    /** After a failed batch: close the files it wrote to; their events roll back and are written again. */
    private void abandon(Set<BucketWriter> touched) {
        for (BucketWriter file : touched) {
            // The batch is rolled back: its events not written yet are taken again from the channel.
            file.discardPending();
            if (open.get(file.bucket) == file) {
                closeAndRename(file);
            }
        }
    }

    private void closeByTimer(BucketWriter file, String why) {
        lock.lock();
        try {
            if (open.get(file.bucket) == file) {
                LOG.debug("hdfs sink {} closing {} ({})", name, file, why);
                // Between batches every write to the file was synced and committed: closing cannot lose events.
                closeAndRename(file);
            }
        } finally {
            lock.unlock();
        }
    }

    private void scheduleIdleTimers(Set<BucketWriter> touched) {
        if (settings.idleTimeoutSeconds <= 0) {
            return;
        }
        for (BucketWriter file : touched) {
            if (open.get(file.bucket) == file) {
                file.restartIdleTimer(timers, settings.idleTimeoutSeconds, () -> closeByTimer(file, "idleTimeout"));
            }
        }
    }

    private static void rollBack(Transaction transaction, Throwable cause) {
        try {
            transaction.rollback();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void stop() {
        if (timers == null) {
            return;
        }
        // shutdown(), not shutdownNow(): a roll or retry under way finishes (each of its calls bounded by
        // hdfs.callTimeout) instead of being cut off; delayed ones are dropped, and stop() closes what is left.
        timers.shutdown();
        long wait = 2 * settings.callTimeoutMillis + 1000;
        try {
            if (!timers.awaitTermination(wait, TimeUnit.MILLISECONDS)) {
                LOG.warn("hdfs sink {}: a timer task did not end within {} ms", name, wait);
                timers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Bounded, as stop() must be: with HDFS away every close and rename would take hdfs.callTimeout, and
        // thousands of open files would keep the agent from stopping. Files not reached keep their in-use name.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(30_000, 3 * settings.callTimeoutMillis));
        lock.lock();
        try {
            for (BucketWriter file : new ArrayList<>(open.values())) {
                if (System.nanoTime() > deadline) {
                    open.remove(file.bucket, file);
                    retrying.add(file);
                    continue;
                }
                // Between batches: everything in the file is synced and committed.
                closeAndRename(file);
            }
            for (BucketWriter file : new ArrayList<>(retrying)) {
                if (System.nanoTime() > deadline || !file.closeAndRename()) {
                    LOG.error("hdfs sink {} stops with {} not renamed; it keeps its in-use name and is renamed "
                            + "when this sink next writes to its directory", name, file);
                }
            }
            retrying.clear();
        } finally {
            lock.unlock();
            hadoop.close();
        }
    }

    @Override
    public String toString() {
        return "hdfs sink " + name;
    }
}
