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
import org.sluice.api.component.IncludeKeys;
import org.sluice.api.component.Range;
import org.sluice.api.component.SluiceType;
import org.sluice.support.log.DurableLogKeys;
import org.sluice.support.log.FileOpener;

/** Flume's {@code file} channel. */
// Also under its own class, which no other bundle can see: the bundle's shell command asks it which file
// channels it configured (FileChannelCommand).
@Component(service = {ChannelFactory.class, FileChannelFactory.class})
@SluiceType({"file", "org.apache.flume.channel.file.FileChannel", "org.sluice.channel.file.FileChannel"})
public class FileChannelFactory implements ChannelFactory {
    private static final Logger LOG = LoggerFactory.getLogger(FileChannel.LOGGER);

    /** Flume's keys and defaults: the channel's own, and those of its log, shared with the spillable overflow. */
    @IncludeKeys(DurableLogKeys.class)
    public @interface Config {
        /** Events the channel holds at most; below 1: the default, with a warning, as in Flume. */
        @Range(min = 1, fallBack = true)
        int capacity() default 1000000;

        /** Seconds a put commit waits for room; a negative value does not wait, as in Flume. */
        int keep$_$alive() default 3;
    }

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
        DurableLogKeys log = context.config(DurableLogKeys.class);
        // The keystore is opened and every key checked now, so a wrong setting fails the configuration by name.
        Encryption encryption = Encryption.configure(new TreeMap<>(context.subProperties(Encryption.PREFIX)),
                (key, message, cause) -> new ConfigurationException(context.agentName(), context.componentName(),
                        key, message, cause));
        // The rules of single keys are on Config, where validate applies them too; these involve two keys.
        if (log.transactionCapacity() > config.capacity()) {
            throw context.configurationError("transactionCapacity", "must not exceed capacity ("
                    + config.capacity() + "), was " + log.transactionCapacity());
        }
        if (!log.fsyncPerTransaction() && log.fsyncInterval() < 1) {
            throw context.configurationError("fsyncInterval", "must be at least 1 s when fsyncPerTransaction is "
                    + "false, was " + log.fsyncInterval());
        }
        // Flume adjusts these silently rather than refusing them (FileChannel.configure, Log's constructor).
        long checkpointInterval = Math.max(log.checkpointInterval(), DurableLogKeys.MIN_CHECKPOINT_INTERVAL);
        long maxFileSize = Math.min(log.maxFileSize(), DurableLogKeys.MAX_FILE_SIZE);
        long minimumRequiredSpace = Math.max(log.minimumRequiredSpace(), DurableLogKeys.MIN_REQUIRED_SPACE);
        long keepAliveNanos = TimeUnit.SECONDS.toNanos(Math.max(config.keep$_$alive(), 0));
        if (log.use$_$log$_$replay$_$v1() || log.use$_$fast$_$replay()) {
            LOG.info("Channel {}: use-log-replay-v1 and use-fast-replay choose among Flume's replay strategies; "
                    + "Sluice has one, which is used", context.componentName());
        }
        if (log.checkpointDir().isBlank() && log.dataDirs().isBlank()) {
            refuseStrandingFlumesBacklog(context);
        }
        Directories dirs = Directories.resolve(log.checkpointDir(), log.useDualCheckpoints(),
                log.backupCheckpointDir(), log.dataDirs(), context::dataDirectory, context::configurationError);
        configured.computeIfAbsent(context.agentName(), agent -> new ConcurrentSkipListMap<>())
                .put(context.componentName(), dirs);
        Path checkpointDir = dirs.checkpointDir();
        Path backupDir = dirs.backupCheckpointDir();
        List<Path> dataDirs = dirs.dataDirs();
        FileChannel.Settings settings = new FileChannel.Settings(checkpointDir, backupDir, dataDirs,
                config.capacity(), log.transactionCapacity(), checkpointInterval, maxFileSize,
                minimumRequiredSpace, log.checkpointOnClose(), keepAliveNanos, log.fsyncPerTransaction(),
                Math.max(log.fsyncInterval(), 1),
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
