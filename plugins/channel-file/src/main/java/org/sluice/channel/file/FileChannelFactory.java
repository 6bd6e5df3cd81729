package org.sluice.channel.file;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.support.log.FileOpener;

/** Flume's {@code file} channel. */
// Also under its own class, which no other bundle can see: the bundle's shell command asks it which file
// channels it configured (FileChannelCommand).
@Component(service = {ChannelFactory.class, FileChannelFactory.class})
@SluiceType({"file", "org.apache.flume.channel.file.FileChannel", "org.sluice.channel.file.FileChannel"})
public class FileChannelFactory implements ChannelFactory {
    private static final Logger LOG = LoggerFactory.getLogger(FileChannel.LOGGER);

    /** Flume's keys and defaults. */
    public @interface Config {
        /** Where the checkpoint goes; empty: {@code <data>/<agent>/<channel>/checkpoint}. */
        String checkpointDir() default "";

        /** Comma-separated data directories, ideally on different disks; empty: {@code .../data}. */
        String dataDirs() default "";

        /** Events the channel holds at most. */
        int capacity() default 1000000;

        /** Events one transaction puts or takes at most. */
        int transactionCapacity() default 10000;

        /** Milliseconds between checkpoints. */
        long checkpointInterval() default 30000;

        /** Bytes a data file grows to before the next one is started. */
        long maxFileSize() default 2146435071L;

        /** Free bytes a data directory must keep; below this, puts are refused. */
        long minimumRequiredSpace() default 524288000L;

        /** Also write each checkpoint to backupCheckpointDir, used when the checkpoint is damaged. */
        boolean useDualCheckpoints() default false;

        /** Where the backup checkpoint goes; empty: {@code .../backupCheckpoint}. */
        String backupCheckpointDir() default "";

        /** Write a checkpoint when the channel stops, so the next start replays nothing. */
        boolean checkpointOnClose() default true;

        /** Seconds a put commit waits for room. */
        int keep$_$alive() default 3;

        /** Force the data files at every commit (true) or every fsyncInterval seconds (false). */
        boolean fsyncPerTransaction() default true;

        /** Seconds between forces when fsyncPerTransaction is false. */
        int fsyncInterval() default 5;

        /** Flume's replay variants; accepted, Sluice has one replay. */
        boolean use$_$log$_$replay$_$v1() default false;

        boolean use$_$fast$_$replay() default false;
    }

    /** Flume's checkpoints are at least this far apart. */
    static final long MIN_CHECKPOINT_INTERVAL = 1000;
    /** Enough for the file header and a few records: anything smaller could not hold an event. */
    static final long MIN_FILE_SIZE = 1024;
    /** Flume's ceiling: a data file is addressed by an int offset. */
    static final long MAX_FILE_SIZE = 2146435071L;

    private final DataLog.SpaceProbe probe;
    /** How the data files are opened: the file system, or in tests one that fails where a disk can. */
    private final FileOpener opener;
    /** Where Flume's file channel keeps its files when neither directory is configured: under Flume's user.home. */
    private final Path flumeDefaults;
    /** The directories of every channel this factory created, by agent then channel: the last configuration. */
    private final Map<String, Map<String, Directories>> configured = new ConcurrentHashMap<>();

    public FileChannelFactory() {
        this(DataLog.FILE_STORE_PROBE);
    }

    FileChannelFactory(DataLog.SpaceProbe probe) {
        this(probe, FileOpener.DEFAULT);
    }

    FileChannelFactory(DataLog.SpaceProbe probe, FileOpener opener) {
        this(probe, opener, Path.of(System.getProperty("user.home"), ".flume", "file-channel"));
    }

    FileChannelFactory(DataLog.SpaceProbe probe, FileOpener opener, Path flumeDefaults) {
        this.probe = probe;
        this.opener = opener;
        this.flumeDefaults = flumeDefaults;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Set<String> openKeyPrefixes() {
        // Flume's encryption settings, with their open-ended keyProvider.keys.<alias>.* keys: read in create().
        return Set.of("encryption.");
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public Channel create(ChannelContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        // The keystore is opened and every key checked now, so a wrong setting fails the configuration by name.
        Encryption encryption = Encryption.configure(new TreeMap<>(context.subProperties(Encryption.PREFIX)),
                (key, message, cause) -> new ConfigurationException(context.agentName(), context.componentName(),
                        key, message, cause));
        if (config.capacity() < 1) {
            throw context.configurationError("capacity", "must be at least 1, was " + config.capacity());
        }
        if (config.transactionCapacity() < 1) {
            throw context.configurationError("transactionCapacity",
                    "must be at least 1, was " + config.transactionCapacity());
        }
        if (config.transactionCapacity() > config.capacity()) {
            throw context.configurationError("transactionCapacity", "must not exceed capacity ("
                    + config.capacity() + "), was " + config.transactionCapacity());
        }
        if (config.checkpointInterval() < MIN_CHECKPOINT_INTERVAL) {
            throw context.configurationError("checkpointInterval", "must be at least " + MIN_CHECKPOINT_INTERVAL
                    + " ms, was " + config.checkpointInterval());
        }
        if (config.maxFileSize() < MIN_FILE_SIZE || config.maxFileSize() > MAX_FILE_SIZE) {
            throw context.configurationError("maxFileSize", "must be between " + MIN_FILE_SIZE + " and "
                    + MAX_FILE_SIZE + " bytes, was " + config.maxFileSize());
        }
        if (config.minimumRequiredSpace() < 0) {
            throw context.configurationError("minimumRequiredSpace",
                    "must not be negative, was " + config.minimumRequiredSpace());
        }
        if (config.keep$_$alive() < 0) {
            throw context.configurationError("keep-alive", "must not be negative, was " + config.keep$_$alive());
        }
        if (config.fsyncInterval() < 1) {
            throw context.configurationError("fsyncInterval", "must be at least 1 s, was " + config.fsyncInterval());
        }
        if (config.use$_$log$_$replay$_$v1() || config.use$_$fast$_$replay()) {
            LOG.info("Channel {}: use-log-replay-v1 and use-fast-replay choose among Flume's replay strategies; "
                    + "Sluice has one, which is used", context.componentName());
        }
        if (config.checkpointDir().isBlank() && config.dataDirs().isBlank()) {
            refuseStrandingFlumesBacklog(context);
        }
        Directories dirs = Directories.resolve(config.checkpointDir(), config.useDualCheckpoints(),
                config.backupCheckpointDir(), config.dataDirs(), context::dataDirectory, context::configurationError);
        configured.computeIfAbsent(context.agentName(), agent -> new ConcurrentSkipListMap<>())
                .put(context.componentName(), dirs);
        Path checkpointDir = dirs.checkpointDir();
        Path backupDir = dirs.backupCheckpointDir();
        List<Path> dataDirs = dirs.dataDirs();
        FileChannel.Settings settings = new FileChannel.Settings(checkpointDir, backupDir, dataDirs,
                config.capacity(), config.transactionCapacity(), config.checkpointInterval(), config.maxFileSize(),
                config.minimumRequiredSpace(), config.checkpointOnClose(),
                TimeUnit.SECONDS.toNanos(config.keep$_$alive()), config.fsyncPerTransaction(), config.fsyncInterval(),
                encryption);
        if (encryption != null) {
            LOG.info("Channel {}: events are encrypted with key {} ({}); keys for older files: {}",
                    context.componentName(), encryption.activeAlias(), Encryption.CIPHER, encryption.aliases());
        }
        return new FileChannel(context.componentName(), settings, context.counter(), probe, opener);
    }

    /**
     * A Flume file channel configured without directories keeps its files in Flume's defaults under the user's home
     * ({@code ~/.flume/file-channel/checkpoint} and {@code data}); Sluice's defaults are under its data directory, so
     * the same configuration would start empty beside Flume's backlog. Refused instead, naming the keys that take it
     * over: Sluice cannot adopt Flume's default directories by itself, since after the takeover they hold Sluice's
     * files, and the next start could no longer tell them from a directory that was never Flume's.
     */
    private void refuseStrandingFlumesBacklog(ChannelContext context) throws ConfigurationException {
        Path checkpoint = flumeDefaults.resolve("checkpoint");
        Path data = flumeDefaults.resolve("data");
        boolean found;
        try {
            found = FlumeTakeover.found(checkpoint, List.of(data));
        } catch (IOException e) {
            throw context.configurationError("checkpointDir", "is not set, and Flume's default directories "
                    + flumeDefaults + ", where Flume's file channel may have left events, cannot be read: " + e);
        }
        if (found) {
            throw context.configurationError("checkpointDir", "is not set, and a Flume file channel left its files in "
                    + "Flume's default directories " + checkpoint + " and " + data + " (Sluice's defaults are under "
                    + "its data directory); set checkpointDir = " + checkpoint + " and dataDirs = " + data
                    + " to take over the events there (docs/upgrading-from-flume.md), or move those directories away");
        }
    }

    /** The directories of the file channel {@code agent.channel} as last configured, if this factory made it. */
    Optional<Directories> configured(String agent, String channel) {
        return Optional.ofNullable(configured.getOrDefault(agent, Map.of()).get(channel));
    }

    /** Agent to channel names of the file channels this factory made, sorted. */
    Map<String, List<String>> configuredChannels() {
        Map<String, List<String>> names = new TreeMap<>();
        configured.forEach((agent, channels) -> names.put(agent, List.copyOf(channels.keySet())));
        return names;
    }
}
