package org.sluice.channel.spillable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.DefaultWhenUnparsable;
import org.sluice.api.component.IncludeKeys;
import org.sluice.api.component.Range;
import org.sluice.api.component.SluiceType;
import org.sluice.support.config.ConfigValues;
import org.sluice.support.log.DurableLogKeys;
import org.sluice.support.log.FileOpener;

/**
 * Flume's {@code SPILLABLEMEMORY} channel. The platform matches type names exactly, so the spellings Flume's
 * case-insensitive lookup accepts in practice are listed.
 */
@Component(service = ChannelFactory.class)
@SluiceType({"SPILLABLEMEMORY", "spillablememory", "SpillableMemory", "org.apache.flume.channel.SpillableMemoryChannel",
        "org.sluice.channel.spillable.SpillableChannel"})
public class SpillableChannelFactory implements ChannelFactory {
    private static final Logger LOG = LoggerFactory.getLogger(SpillableChannel.LOGGER);

    /** {@link Config#byteCapacity()}'s default: Flume's, 80 % of the JVM's maximum heap. */
    public static final long HEAP_SHARE_BYTE_CAPACITY = -1L;
    /** Flume's stand-in for byteCapacity = 0: "a hard internal limit of about 200 GB". */
    static final long UNLIMITED_BYTE_CAPACITY = 200L * 1024 * 1024 * 1024;
    /** Flume's overflowCapacity, also taken when memoryCapacity and overflowCapacity are both 0. */
    static final long DEFAULT_OVERFLOW_CAPACITY = 100000000L;
    /** The capacity Flume's overflow file channel takes when overflowCapacity is 0 or less. */
    static final long FILE_CHANNEL_DEFAULT_CAPACITY = 1000000L;

    /** Flume's keys and defaults: the spillable channel's own, and the file channel's for the overflow. */
    @IncludeKeys(DurableLogKeys.class)
    public @interface Config {
        /** Events in memory at most; 0: every event goes to the overflow. Not a number or negative: the default. */
        @DefaultWhenUnparsable
        @Range(min = 0, fallBack = true)
        int memoryCapacity() default 10000;

        /**
         * Events in the overflow at most; 0 or less: no overflow, a pure memory channel, as in Flume. Not a number:
         * the default.
         */
        @DefaultWhenUnparsable
        long overflowCapacity() default DEFAULT_OVERFLOW_CAPACITY;

        /** Seconds a put commit waits for room in memory before it spills; negative: no wait, as in Flume. */
        @DefaultWhenUnparsable
        int overflowTimeout() default 3;

        /**
         * Percent of byteCapacity kept free for headers and overhead, which are not counted. Any number is taken,
         * as in Flume: one that leaves less than one slot (above 100) means no byte limit.
         */
        @DefaultWhenUnparsable
        int byteCapacityBufferPercentage() default 20;

        /** Bytes of event bodies in memory at most; default 80 % of the heap, 0: about 200 GB. */
        long byteCapacity() default HEAP_SHARE_BYTE_CAPACITY;

        /**
         * Bodies are counted against byteCapacity in slots of this many bytes. Flume takes 0 and fails every put
         * then (a division by zero); Sluice refuses less than 1.
         */
        @DefaultWhenUnparsable
        @Range(min = 1)
        int avgEventSize() default 500;

        /** Not used: Flume's spillable channel manages the overflow's keep-alive itself. */
        int keep$_$alive() default 3;

        /** Not used: overflowCapacity is the overflow's capacity, as in Flume. */
        long capacity() default 0;
    }

    /** How the overflow files are opened: the file system, or in tests one that fails where a disk can. */
    private final FileOpener opener;

    /** Where Flume's overflow (a file channel) keeps its files when no directory is configured: under user.home. */
    private final Path flumeDefaults;

    public SpillableChannelFactory() {
        this(FileOpener.DEFAULT);
    }

    SpillableChannelFactory(FileOpener opener) {
        this(opener, Path.of(System.getProperty("user.home"), ".flume", "file-channel"));
    }

    SpillableChannelFactory(FileOpener opener, Path flumeDefaults) {
        this.opener = opener;
        this.flumeDefaults = flumeDefaults;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Set<String> openKeyPrefixes() {
        return Set.of("encryption.");
    }

    /**
     * True, although memory is not: a durable channel is stopped and its successor started on the same
     * directories, which is what keeps the overflow (up to overflowCapacity events, far more than the heap
     * holds) where it is. Were it false, the platform would empty the whole channel, overflow included,
     * through the heap into the successor at every configuration change or plugin update. The memory's
     * events are not lost at such a restart either: stop() writes them to the overflow log.
     */
    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public Channel create(ChannelContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        DurableLogKeys log = context.config(DurableLogKeys.class);
        Map<String, String> encryption = new TreeMap<>(context.subProperties("encryption."));
        if (!encryption.isEmpty()) {
            throw context.configurationError("encryption." + encryption.keySet().iterator().next(),
                    "encryption of the overflow is not supported; remove the encryption.* keys (the events would "
                            + "otherwise be stored unencrypted)");
        }
        // The rules of single keys are on Config, where validate applies them too; these involve two keys.
        long overflowCapacity = Math.max(config.overflowCapacity(), 0);
        if (config.memoryCapacity() == 0 && overflowCapacity == 0) {
            overflowCapacity = DEFAULT_OVERFLOW_CAPACITY;
            LOG.warn("Channel {}: memoryCapacity and overflowCapacity are both 0, so the channel could hold nothing; "
                    + "using the default overflowCapacity, {}, as Flume does", context.componentName(),
                    overflowCapacity);
        }
        // Flume checks the overflow's transactions against its capacity: overflowCapacity, or its file channel's
        // default capacity when there is no overflow.
        long overflowFileCapacity = overflowCapacity > 0 ? overflowCapacity : FILE_CHANNEL_DEFAULT_CAPACITY;
        if (log.transactionCapacity() > overflowFileCapacity) {
            throw context.configurationError("transactionCapacity", "must not exceed overflowCapacity ("
                    + overflowFileCapacity + "), was " + log.transactionCapacity());
        }
        if (!log.fsyncPerTransaction() && log.fsyncInterval() < 1) {
            throw context.configurationError("fsyncInterval", "must be at least 1 s when fsyncPerTransaction is "
                    + "false, was " + log.fsyncInterval());
        }
        if (config.byteCapacity() < 0 && config.byteCapacity() != HEAP_SHARE_BYTE_CAPACITY) {
            throw context.configurationError("byteCapacity", "must not be negative, was " + config.byteCapacity());
        }
        for (String ignored : List.of("keep-alive", "capacity")) {
            if (context.properties().containsKey(ignored)) {
                LOG.warn("Channel {}: {} is not used by the spillable memory channel (as in Flume); use "
                        + "overflowTimeout and overflowCapacity", context.componentName(), ignored);
            }
        }
        for (String unused : List.of("checkpointDir", "checkpointInterval", "useDualCheckpoints",
                "backupCheckpointDir", "checkpointOnClose", "use-log-replay-v1", "use-fast-replay")) {
            if (context.properties().containsKey(unused)) {
                LOG.info("Channel {}: {} is accepted and not needed: the overflow log keeps no checkpoint (its "
                        + "files hold only what is still in the overflow)", context.componentName(), unused);
            }
        }

        List<Path> dataDirs = new ArrayList<>();
        for (String entry : log.dataDirs().split(",")) {
            Path dir = ConfigValues.path(context, "dataDirs", entry.trim());
            if (dir != null && !dataDirs.contains(dir)) {
                dataDirs.add(dir);
            }
        }
        refuseStrandingFlumesOverflow(context, log, dataDirs);
        if (dataDirs.isEmpty()) {
            dataDirs.add(context.dataDirectory().resolve("data"));
        }

        long byteCapacity = config.byteCapacity() == HEAP_SHARE_BYTE_CAPACITY
                ? (long) (Runtime.getRuntime().maxMemory() * 0.8)
                : config.byteCapacity() == 0 ? UNLIMITED_BYTE_CAPACITY : config.byteCapacity();
        long slots = (long) (byteCapacity * (1 - config.byteCapacityBufferPercentage() * 0.01) / config.avgEventSize());
        // Flume's spillable channel: a byte capacity of less than one slot is no byte limit.
        long byteCapacitySlots = slots < 1 ? Integer.MAX_VALUE : slots;
        // Flume adjusts these silently rather than refusing them (its file channel's configure).
        long maxFileSize = Math.min(log.maxFileSize(), DurableLogKeys.MAX_FILE_SIZE);
        long minimumRequiredSpace = Math.max(log.minimumRequiredSpace(), DurableLogKeys.MIN_REQUIRED_SPACE);
        SpillableChannel.Settings settings = new SpillableChannel.Settings(config.memoryCapacity(),
                overflowCapacity, TimeUnit.SECONDS.toNanos(Math.max(config.overflowTimeout(), 0)), byteCapacitySlots,
                config.avgEventSize(), log.transactionCapacity(), minimumRequiredSpace,
                log.fsyncPerTransaction(), Math.max(log.fsyncInterval(), 1));
        OverflowLog overflow = new OverflowLog(context.componentName(), dataDirs, maxFileSize,
                log.fsyncPerTransaction(), opener);
        return new SpillableChannel(context.componentName(), settings, overflow, context.counter());
    }

    /**
     * Flume's spillable memory channel overflows into a Flume file channel in {@code checkpointDir} and
     * {@code dataDirs} (Flume's defaults under the user's home when they are not set). Sluice's overflow is its own
     * log and does not import Flume's, so events Flume left there would stay behind unseen: the start is refused,
     * naming the directory, until Flume has drained its overflow and its files are moved away.
     */
    private void refuseStrandingFlumesOverflow(ChannelContext context, DurableLogKeys log, List<Path> dataDirs)
            throws ConfigurationException {
        for (Path dir : dataDirs.isEmpty() ? List.of(flumeDefaults.resolve("data")) : dataDirs) {
            if (holds(context, "dataDirs", dir, "log-\\d+\\.meta")) {
                throw flumesOverflow(context, "dataDirs", dir);
            }
        }
        Path checkpointDir = ConfigValues.path(context, "checkpointDir", log.checkpointDir());
        if (checkpointDir == null) {
            checkpointDir = flumeDefaults.resolve("checkpoint");
        }
        if (holds(context, "checkpointDir", checkpointDir, "checkpoint\\.meta")) {
            throw flumesOverflow(context, "checkpointDir", checkpointDir);
        }
    }

    private static ConfigurationException flumesOverflow(ChannelContext context, String key, Path dir) {
        return context.configurationError(key, dir + " holds the overflow of a Flume spillable memory channel (a "
                + "Flume file channel), which Sluice does not take over: let Flume drain it, then move its files "
                + "away (docs/upgrading-from-flume.md)");
    }

    /** Whether {@code dir} has a file named as {@code pattern} says (a directory that does not exist has none). */
    private static boolean holds(ChannelContext context, String key, Path dir, String pattern)
            throws ConfigurationException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(file -> file.getFileName().toString().matches(pattern));
        } catch (NoSuchFileException | NotDirectoryException e) {
            return false;
        } catch (IOException e) {
            throw context.configurationError(key, "cannot look for a Flume overflow's files in " + dir + ": " + e);
        }
    }
}
