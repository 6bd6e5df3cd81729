package org.sluice.sink.fileroll;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.Range;
import org.sluice.api.component.SluiceType;
import org.sluice.api.format.EventSerializerFactory;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.sink.SinkFactory;

/** Flume's {@code file_roll} sink: events into files of a local directory, a new file every interval. */
@Component(service = SinkFactory.class)
@SluiceType({"file_roll", "org.apache.flume.sink.RollingFileSink", "org.sluice.sink.fileroll.RollingFileSink"})
public class FileRollSinkFactory implements SinkFactory {
    /** Where a serializer's keys are, as in Flume. */
    static final String SERIALIZER_KEYS = "sink.serializer.";

    /** Flume's keys and defaults, plus {@code sink.fsync}. */
    public @interface Config {
        /** The directory the files go to; created if missing. */
        String sink_directory();

        /** Seconds between rolls to a new file; 0 or less writes a single file, as in Flume. */
        long sink_rollInterval() default 30;

        /** Events taken, written and flushed per transaction. */
        @Range(min = 1)
        int sink_batchSize() default 100;

        /**
         * TEXT or HEADER_AND_TEXT (any case), or Flume's builder class name of either; any other name is a serializer
         * a plugin provides (a Flume {@code EventSerializer$Builder} class), configured by its keys under
         * {@code sink.serializer.}; the sink waits until one is installed.
         */
        String sink_serializer() default "TEXT";

        /** Whether each event is followed by a newline. */
        boolean sink_serializer_appendNewline() default true;

        /** How files are named: DEFAULT or ROLLTIME (any case), or Flume's builder class name of either. */
        String sink_pathManager() default "DEFAULT";

        /** File name extension, without the dot; none if empty. */
        String sink_pathManager_extension() default "";

        /** File name prefix. */
        String sink_pathManager_prefix() default "";

        /**
         * Not a Flume key: force each batch to the disk before its transaction commits. Off by default,
         * as in Flume, where a batch is committed once it is flushed to the operating system.
         */
        boolean sink_fsync() default false;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    /** A plugin's serializer reads its own keys, whatever they are. */
    @Override
    public Set<String> openKeyPrefixes() {
        return Set.of(SERIALIZER_KEYS);
    }

    @Override
    public Sink create(SinkContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        EventSerializerFactory serializer = TextSerializer.named(config.sink_serializer(),
                config.sink_serializer_appendNewline()).orElse(null);
        String serializerName = serializer == null ? config.sink_serializer().trim() : serializer.toString();
        if (serializer == null) {
            serializer = context.lookup(EventSerializerFactory.class, serializerName, "sink.serializer");
        }
        PathManager.Naming naming = PathManager.Naming.named(config.sink_pathManager())
                .orElseThrow(() -> context.configurationError("sink.pathManager", "'" + config.sink_pathManager()
                        + "' is not a path manager this sink has; use " + PathManager.Naming.ACCEPTED_NAMES));
        PathManager files = new PathManager(directory(context, config), naming, config.sink_pathManager_prefix(),
                config.sink_pathManager_extension());
        return new RollingFileSink(context, files, serializer, serializerName,
                config.sink_batchSize(), config.sink_rollInterval(), config.sink_fsync());
    }

    private static Path directory(SinkContext context, Config config) throws ConfigurationException {
        String directory = config.sink_directory();
        if (directory.isBlank()) {
            throw context.configurationError("sink.directory", "is empty; name the directory the files go to");
        }
        try {
            return Path.of(directory);
        } catch (InvalidPathException e) {
            throw new ConfigurationException(context.agentName(), context.componentName(), "sink.directory",
                    "'" + directory + "' is not a valid path: " + e.getMessage(), e);
        }
    }
}
