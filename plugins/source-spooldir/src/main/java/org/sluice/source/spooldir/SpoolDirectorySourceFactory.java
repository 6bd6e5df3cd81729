package org.sluice.source.spooldir;

import java.nio.charset.CodingErrorAction;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.Range;
import org.sluice.api.component.SluiceType;
import org.sluice.api.format.EventDeserializerFactory;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.SourceFactory;
import org.sluice.support.config.ConfigValues;

/** Flume's {@code spooldir} source. */
@Component(service = SourceFactory.class)
@SluiceType({"spooldir", "org.apache.flume.source.SpoolDirectorySource",
        "org.sluice.source.spooldir.SpoolDirectorySource"})
public class SpoolDirectorySourceFactory implements SourceFactory {

    static final String LINE_CLASS = "org.apache.flume.serialization.LineDeserializer$Builder";
    static final String AVRO_CLASS = "org.apache.flume.serialization.AvroEventDeserializer$Builder";
    static final String BLOB_CLASS = "org.apache.flume.sink.solr.morphline.BlobDeserializer$Builder";

    public enum DeletePolicy { NEVER, IMMEDIATE }

    public enum TrackingPolicy { RENAME, TRACKER_DIR }

    public enum ConsumeOrder { OLDEST, YOUNGEST, RANDOM }

    public enum DecodeErrorPolicy { FAIL, REPLACE, IGNORE }

    public enum AvroSchemaType { HASH, LITERAL }

    /** Flume 1.11's keys and defaults. */
    public @interface Config {
        /** The directory files are dropped into; required. */
        String spoolDir();

        /** Appended to a file's name once all its events are committed. */
        String fileSuffix() default ".COMPLETED";

        /** {@code never} renames finished files, {@code immediate} deletes them. */
        DeletePolicy deletePolicy() default DeletePolicy.NEVER;

        /** With deletePolicy never: {@code rename} the file, or leave it and mark it in trackerDir. */
        TrackingPolicy trackingPolicy() default TrackingPolicy.RENAME;

        /** Put the file's absolute path into a header. */
        boolean fileHeader() default false;

        String fileHeaderKey() default "file";

        /** Put the file's name into a header. */
        boolean basenameHeader() default false;

        String basenameHeaderKey() default "basename";

        /** File names to read; a name that also matches ignorePattern is not read. */
        String includePattern() default "^.*$";

        /** File names never to read. */
        String ignorePattern() default "^$";

        /** Where positions (and tracker_dir marks) are kept; relative to spoolDir unless absolute. */
        String trackerDir() default ".flumespool";

        ConsumeOrder consumeOrder() default ConsumeOrder.OLDEST;

        /** Milliseconds between looks at the directory when there is nothing to read. */
        @Range(min = 1)
        long pollDelay() default 500;

        /** Read files in sub-directories too. */
        boolean recursiveDirectorySearch() default false;

        /** Longest pause, in milliseconds, between attempts to hand a refused batch to the channels. */
        @Range(min = 1)
        long maxBackoff() default 4000;

        /** Events per channel transaction. */
        @Range(min = 1)
        int batchSize() default 100;

        /** Character set of text files. */
        String inputCharset() default "UTF-8";

        DecodeErrorPolicy decodeErrorPolicy() default DecodeErrorPolicy.FAIL;

        /**
         * LINE, AVRO or BLOB, or Flume's builder class names, or the {@code EventDeserializer.Builder} class of a
         * plugin (the source waits until a bundle provides it).
         */
        String deserializer() default "LINE";

        /** LINE: characters per event at most; the rest of a longer line is the next event. */
        int deserializer_maxLineLength() default 2048;

        /** LINE: character set of the event bodies. */
        String deserializer_outputCharset() default "UTF-8";

        /** BLOB: bytes per event at most. */
        @Range(min = 1)
        int deserializer_maxBlobLength() default 100_000_000;

        /** AVRO: {@code HASH} puts the schema's fingerprint in each event, {@code LITERAL} the schema itself. */
        AvroSchemaType deserializer_schemaType() default AvroSchemaType.HASH;

        /** Obsolete in Flume and ignored. */
        String bufferMaxLines() default "";

        /** Deprecated in Flume: deserializer.maxLineLength for LINE when that is not set. */
        int bufferMaxLineLength() default 5000;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Source create(SourceContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        if (config.spoolDir().isEmpty()) {
            throw context.configurationError("spoolDir", "is required: the directory to read files from");
        }
        Path spoolDir = path(context, "spoolDir", config.spoolDir()).toAbsolutePath().normalize();
        Path trackerDir = spoolDir.resolve(path(context, "trackerDir", config.trackerDir())).normalize();
        if (trackerDir.equals(spoolDir)) {
            throw context.configurationError("trackerDir", "must not be spoolDir itself");
        }
        if (config.fileSuffix().isEmpty()) {
            throw context.configurationError("fileSuffix", "must not be empty: finished files would keep their "
                    + "names and be read again");
        }
        Settings.Deserializer deserializer = deserializer(config.deserializer());
        EventDeserializerFactory plugin = deserializer != Settings.Deserializer.PLUGIN ? null
                : context.lookup(EventDeserializerFactory.class, config.deserializer(), "deserializer");
        int maxLineLength = config.deserializer_maxLineLength();
        if (!context.properties().containsKey("deserializer.maxLineLength")
                && context.properties().containsKey("bufferMaxLineLength")) {
            maxLineLength = config.bufferMaxLineLength(); // Flume's compatibility rule for the old key
        }
        ConfigValues.atLeast(context, "deserializer.maxLineLength", maxLineLength, 1);
        CodingErrorAction decodeErrorAction = switch (config.decodeErrorPolicy()) {
            case FAIL -> CodingErrorAction.REPORT;
            case REPLACE -> CodingErrorAction.REPLACE;
            case IGNORE -> CodingErrorAction.IGNORE;
        };
        Settings settings = new Settings(spoolDir, config.fileSuffix(),
                config.deletePolicy() == DeletePolicy.IMMEDIATE,
                config.deletePolicy() == DeletePolicy.NEVER && config.trackingPolicy() == TrackingPolicy.TRACKER_DIR,
                config.fileHeader() ? ConfigValues.nonEmpty(context, "fileHeaderKey", config.fileHeaderKey()) : null,
                config.basenameHeader()
                        ? ConfigValues.nonEmpty(context, "basenameHeaderKey", config.basenameHeaderKey()) : null,
                ConfigValues.pattern(context, "includePattern", config.includePattern()),
                ConfigValues.pattern(context, "ignorePattern", config.ignorePattern()),
                trackerDir, config.consumeOrder(), config.pollDelay(), config.recursiveDirectorySearch(),
                config.maxBackoff(), config.batchSize(),
                ConfigValues.charset(context, "inputCharset", config.inputCharset()), decodeErrorAction, deserializer,
                maxLineLength,
                ConfigValues.charset(context, "deserializer.outputCharset", config.deserializer_outputCharset()),
                config.deserializer_maxBlobLength(), config.deserializer_schemaType() == AvroSchemaType.LITERAL,
                plugin == null ? null : config.deserializer().trim(), plugin);
        return new SpoolDirectorySource(context, settings);
    }

    /** A built-in deserializer by its name or Flume's class name; anything else is a plugin's class. */
    private static Settings.Deserializer deserializer(String value) {
        String upper = value.toUpperCase(Locale.ROOT);
        if (upper.equals("LINE") || value.equals(LINE_CLASS)) {
            return Settings.Deserializer.LINE;
        }
        if (upper.equals("BLOB") || value.equals(BLOB_CLASS)) {
            return Settings.Deserializer.BLOB;
        }
        if (upper.equals("AVRO") || value.equals(AVRO_CLASS)) {
            return Settings.Deserializer.AVRO;
        }
        return Settings.Deserializer.PLUGIN;
    }

    private static Path path(SourceContext context, String key, String value) throws ConfigurationException {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new ConfigurationException(context.agentName(), context.componentName(), key,
                    "'" + value + "' is not a valid path: " + e.getMessage(), e);
        }
    }

}
