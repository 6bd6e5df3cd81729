package org.sluice.sink.hdfs;

import java.io.File;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.Range;
import org.sluice.api.component.SluiceType;
import org.sluice.api.format.EventSerializerFactory;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.sink.SinkFactory;
import org.sluice.support.config.ConfigValues;

/** Flume's {@code hdfs} sink: events into files of a Hadoop file system, bucketed by the escapes of hdfs.path. */
@Component(service = SinkFactory.class, immediate = true)
@SluiceType({"hdfs", "org.apache.flume.sink.hdfs.HDFSEventSink", "org.sluice.sink.hdfs.HdfsSink"})
public class HdfsSinkFactory implements SinkFactory {
    private static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.sink.hdfs.HDFSEventSink");

    /**
     * The framework property the launcher sets to the agent's conf directory ({@code -c}); Flume has that directory
     * on its class path, where Hadoop finds core-site.xml and hdfs-site.xml.
     */
    static final String CONF_DIR_PROPERTY = "sluice.conf.dir";

    /** Flume's serializer of Avro records whose schema their headers name (no alias in Flume). */
    static final String HEADER_SCHEMA_AVRO_CLASS = "org.apache.flume.sink.hdfs.AvroEventSerializer$Builder";

    /** Sluice's own prefix: each {@code hdfs.config.<key>} is set on Hadoop's configuration as {@code <key>}. */
    static final String HADOOP_CONFIG_PREFIX = "hdfs.config.";
    /** DS's ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED, so the bundle needs no import for one number. */
    private static final int DEACTIVATION_REASON_BUNDLE_STOPPED = 6;

    /** Flume 1.11's keys and defaults. */
    public @interface Config {
        /** The directory, with Flume's escapes: hdfs://namenode/flume/%Y-%m-%d, file:///data, /flume (fs.defaultFS). */
        String hdfs_path();

        String hdfs_filePrefix() default "FlumeData";

        String hdfs_fileSuffix() default "";

        String hdfs_inUsePrefix() default "";

        String hdfs_inUseSuffix() default ".tmp";

        /** Flume 1.10+: true writes files under their final name, without {@code hdfs.inUseSuffix}. */
        boolean hdfs_emptyInUseSuffix() default false;

        @Range(min = 0)
        long hdfs_rollInterval() default 30;

        @Range(min = 0)
        long hdfs_rollSize() default 1024;

        @Range(min = 0)
        long hdfs_rollCount() default 10;

        @Range(min = 0)
        long hdfs_idleTimeout() default 0;

        @Range(min = 1)
        int hdfs_batchSize() default 100;

        String hdfs_codeC() default "";

        String hdfs_fileType() default "SequenceFile";

        @Range(min = 1)
        int hdfs_maxOpenFiles() default 5000;

        String hdfs_writeFormat() default "Writable";

        @Range(min = 1)
        long hdfs_callTimeout() default 30000;

        @Range(min = 1)
        int hdfs_threadsPoolSize() default 10;

        @Range(min = 1)
        int hdfs_rollTimerPoolSize() default 1;

        String hdfs_kerberosPrincipal() default "";

        String hdfs_kerberosKeytab() default "";

        String hdfs_proxyUser() default "";

        boolean hdfs_round() default false;

        int hdfs_roundValue() default 1;

        String hdfs_roundUnit() default "second";

        /** Empty: the JVM's time zone, as Flume's "Local Time". */
        String hdfs_timeZone() default "";

        boolean hdfs_useLocalTimeStamp() default false;

        @Range(min = 0)
        int hdfs_closeTries() default 0;

        long hdfs_retryInterval() default 180;

        /**
         * TEXT, HEADER_AND_TEXT or AVRO_EVENT (any case), Flume's builder class name of one of them, or
         * org.apache.flume.sink.hdfs.AvroEventSerializer$Builder (Avro records with the schema of their headers);
         * any other name is a serializer a plugin provides (a Flume EventSerializer$Builder class), configured by its
         * keys under serializer.; the sink waits until one is installed.
         */
        String serializer() default "TEXT";

        boolean serializer_appendNewline() default true;

        /** The Avro serializers: null, deflate, snappy, bzip2, xz or zstandard. */
        String serializer_compressionCodec() default "null";

        /** The Avro serializers: bytes of records per Avro block. */
        int serializer_syncIntervalBytes() default 2048000;

        /** AvroEventSerializer$Builder: the schema of events whose headers name none. */
        String serializer_schemaURL() default "";
    }

    private volatile File agentConfDir;

    /** For Declarative Services, which sets the agent's conf directory when the component activates. */
    public HdfsSinkFactory() {
    }

    /** Outside a framework (tests): the sinks look for core-site.xml and hdfs-site.xml in {@code agentConfDir} first. */
    HdfsSinkFactory(File agentConfDir) {
        this.agentConfDir = agentConfDir;
    }

    @Activate
    void activate(BundleContext bundleContext) {
        String dir = bundleContext.getProperty(CONF_DIR_PROPERTY);
        agentConfDir = dir == null || dir.isBlank() ? null : new File(dir);
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Set<String> openKeyPrefixes() {
        // A plugin's serializer reads its own keys under serializer., whatever they are.
        return Set.of(HADOOP_CONFIG_PREFIX, "serializer.");
    }

    @Override
    public Sink create(SinkContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        HdfsSink.Settings s = new HdfsSink.Settings();
        if (config.hdfs_path().isBlank()) {
            throw context.configurationError("hdfs.path", "is empty; name the directory the files go to");
        }
        String principal = config.hdfs_kerberosPrincipal().trim();
        String keytab = config.hdfs_kerberosKeytab().trim();
        if (principal.isEmpty() != keytab.isEmpty()) {
            // Flume refuses either without the other too.
            throw principal.isEmpty()
                    ? context.configurationError("hdfs.kerberosPrincipal", "is missing; hdfs.kerberosKeytab is set, "
                            + "so name the principal to log in as (flume/_HOST@YOUR-REALM)")
                    : context.configurationError("hdfs.kerberosKeytab", "is missing; hdfs.kerberosPrincipal is set, "
                            + "so name the keytab file that holds its key");
        }
        s.identity = new Hadoop.Identity(principal, keytab, config.hdfs_proxyUser().trim());
        s.agentConfDir = agentConfDir;
        PathTemplate.TimeRules rules = new PathTemplate.TimeRules(config.hdfs_useLocalTimeStamp(), config.hdfs_round(),
                roundValue(context, config), roundUnit(context, config), zone(context, config));
        s.path = template(context, "hdfs.path", config.hdfs_path().trim(), rules);
        s.filePrefix = template(context, "hdfs.filePrefix", config.hdfs_filePrefix(), rules);
        s.fileSuffix = config.hdfs_fileSuffix();
        s.inUsePrefix = config.hdfs_inUsePrefix();
        s.inUseSuffix = inUseSuffix(context, config);
        s.rollIntervalSeconds = config.hdfs_rollInterval();
        s.rollSize = config.hdfs_rollSize();
        s.rollCount = config.hdfs_rollCount();
        s.idleTimeoutSeconds = config.hdfs_idleTimeout();
        s.batchSize = config.hdfs_batchSize();
        s.maxOpenFiles = config.hdfs_maxOpenFiles();
        s.callTimeoutMillis = config.hdfs_callTimeout();
        s.threadsPoolSize = config.hdfs_threadsPoolSize();
        s.rollTimerPoolSize = config.hdfs_rollTimerPoolSize();
        s.closeTries = (int) config.hdfs_closeTries();
        // Flume: 0 or less means no retry after the first attempt.
        s.retryIntervalSeconds = config.hdfs_retryInterval();
        s.hadoopSettings = Map.copyOf(context.subProperties(HADOOP_CONFIG_PREFIX));
        s.format = formatFactory(context, config);
        return new HdfsSink(context, s);
    }

    private static HdfsSink.FormatFactory formatFactory(SinkContext context, Config config)
            throws ConfigurationException {
        String fileType = config.hdfs_fileType().trim();
        String codecName = config.hdfs_codeC().trim();
        AvroContainer avro = avroContainer(context, config);
        EventSerializer.Factory serializer = serializer(context, config, avro);
        if (avro != null && !fileType.equalsIgnoreCase("sequencefile")) {
            // At start, like hdfs.codeC: only then does the sink's bundle (and its codec libraries) run it.
            HdfsSink.FormatFactory format = plainFormatFactory(context, config, fileType, codecName, serializer);
            return conf -> {
                avro.checkCodecLoads(context);
                return format.create(conf);
            };
        }
        return plainFormatFactory(context, config, fileType, codecName, serializer);
    }

    private static HdfsSink.FormatFactory plainFormatFactory(SinkContext context, Config config, String fileType,
            String codecName, EventSerializer.Factory serializer) throws ConfigurationException {
        switch (fileType.toLowerCase(Locale.ROOT)) {
            case "sequencefile": {
                boolean text = writeFormat(context, config);
                return conf -> FileFormat.sequenceFile(text, codecName.isEmpty() ? null : codec(context, conf, codecName));
            }
            case "datastream":
                if (!codecName.isEmpty()) {
                    throw context.configurationError("hdfs.codeC", "DataStream files are not compressed; remove "
                            + "hdfs.codeC, or set hdfs.fileType = CompressedStream");
                }
                return conf -> FileFormat.dataStream(serializer);
            case "compressedstream":
                if (codecName.isEmpty()) {
                    throw context.configurationError("hdfs.codeC", "CompressedStream needs a codec: gzip, bzip2, "
                            + "deflate, snappy (or a codec class name)");
                }
                return conf -> FileFormat.compressedStream(serializer, codec(context, conf, codecName));
            default:
                throw context.configurationError("hdfs.fileType", "'" + fileType
                        + "' is not one of SequenceFile, DataStream, CompressedStream");
        }
    }

    /** Looked up at start, through Hadoop's configuration: an unknown codec fails the start, naming it. */
    private static CompressionCodec codec(SinkContext context, Configuration conf, String name)
            throws ConfigurationException {
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodecByName(name);
        if (codec == null) {
            throw context.configurationError("hdfs.codeC", "'" + name + "' is not a codec this bundle has; use gzip, "
                    + "bzip2, deflate or snappy (lzo and lzop are not distributed with Hadoop)");
        }
        return codec;
    }

    private static boolean writeFormat(SinkContext context, Config config) throws ConfigurationException {
        switch (config.hdfs_writeFormat().trim().toLowerCase(Locale.ROOT)) {
            case "writable":
                return false;
            case "text":
                return true;
            default:
                throw context.configurationError("hdfs.writeFormat", "'" + config.hdfs_writeFormat()
                        + "' is not Writable or Text");
        }
    }

    /** Flume's avro_event serializer, by alias or class name. */
    private static boolean isFlumeEventAvro(String serializer) {
        String upper = serializer.toUpperCase(Locale.ROOT);
        return upper.equals("AVRO_EVENT")
                || upper.equals("ORG.APACHE.FLUME.SERIALIZATION.FLUMEEVENTAVROEVENTSERIALIZER$BUILDER");
    }

    /** The Avro serializers' settings when the serializer is one of them, else null (their keys are not read). */
    private static AvroContainer avroContainer(SinkContext context, Config config) throws ConfigurationException {
        String serializer = config.serializer().trim();
        if (!isFlumeEventAvro(serializer) && !serializer.equals(HEADER_SCHEMA_AVRO_CLASS)) {
            return null;
        }
        return AvroContainer.of(context, config.serializer_compressionCodec(), config.serializer_syncIntervalBytes());
    }

    private static EventSerializer.Factory serializer(SinkContext context, Config config, AvroContainer avro)
            throws ConfigurationException {
        String serializer = config.serializer().trim();
        if (isFlumeEventAvro(serializer)) {
            return FlumeEventAvroSerializer.factory(avro);
        }
        if (serializer.equals(HEADER_SCHEMA_AVRO_CLASS)) {
            return HeaderSchemaAvroSerializer.factory(avro, config.serializer_schemaURL());
        }
        switch (serializer.toUpperCase(Locale.ROOT)) {
            case "TEXT":
            case "ORG.APACHE.FLUME.SERIALIZATION.BODYTEXTEVENTSERIALIZER$BUILDER":
                return EventSerializer.text(false, config.serializer_appendNewline());
            case "HEADER_AND_TEXT":
            case "ORG.APACHE.FLUME.SERIALIZATION.HEADERANDBODYTEXTEVENTSERIALIZER$BUILDER":
                return EventSerializer.text(true, config.serializer_appendNewline());
            default:
                // Any other name is a plugin's (a Flume EventSerializer$Builder class): the sink waits for it.
                return EventSerializer.plugin(context.lookup(EventSerializerFactory.class, serializer, "serializer"),
                        context, serializer);
        }
    }

    private static PathTemplate template(SinkContext context, String key, String value, PathTemplate.TimeRules rules)
            throws ConfigurationException {
        try {
            return PathTemplate.parse(value, rules);
        } catch (IllegalArgumentException e) {
            throw context.configurationError(key, e.getMessage());
        }
    }

    private static ChronoUnit roundUnit(SinkContext context, Config config) throws ConfigurationException {
        switch (config.hdfs_roundUnit().trim().toLowerCase(Locale.ROOT)) {
            case "second":
                return ChronoUnit.SECONDS;
            case "minute":
                return ChronoUnit.MINUTES;
            case "hour":
                return ChronoUnit.HOURS;
            default:
                throw context.configurationError("hdfs.roundUnit", "'" + config.hdfs_roundUnit()
                        + "' is not second, minute or hour");
        }
    }

    /**
     * As Flume reads {@code hdfs.timeZone}: java.util.TimeZone's names, its three-letter ones ({@code PST}) and
     * {@code GMT+5} included, and GMT for a name it does not know, which Flume does without a word and Sluice with a
     * warning (an existing file runs unchanged, its directories named as they were).
     */
    private static ZoneId zone(SinkContext context, Config config) {
        String zone = config.hdfs_timeZone().trim();
        if (zone.isEmpty()) {
            return ZoneId.systemDefault();
        }
        TimeZone timeZone = TimeZone.getTimeZone(zone);
        if (timeZone.getID().equals("GMT") && !zone.equals("GMT")) {
            LOG.warn("{}", context.configurationError("hdfs.timeZone", "'" + zone + "' is not a time zone; the time "
                    + "escapes use GMT, as Flume does").getMessage());
        }
        return timeZone.toZoneId();
    }

    /** Flume checks {@code hdfs.roundValue} only when rounding: 1 to 60 seconds or minutes, 1 to 24 hours. */
    private static int roundValue(SinkContext context, Config config) throws ConfigurationException {
        if (!config.hdfs_round()) {
            return config.hdfs_roundValue();
        }
        // Not a @Range: the bound depends on hdfs.roundUnit.
        int max = roundUnit(context, config) == ChronoUnit.HOURS ? 24 : 60;
        return ConfigValues.between(context, "hdfs.roundValue", config.hdfs_roundValue(), 1, max);
    }

    /** {@code hdfs.emptyInUseSuffix = true} wins over {@code hdfs.inUseSuffix}, which is then ignored with a warning. */
    private static String inUseSuffix(SinkContext context, Config config) {
        if (!config.hdfs_emptyInUseSuffix()) {
            return config.hdfs_inUseSuffix();
        }
        if (context.properties().containsKey("hdfs.inUseSuffix")) {
            LOG.warn("{}", context.configurationError("hdfs.inUseSuffix", "is ignored: hdfs.emptyInUseSuffix is true")
                    .getMessage());
        }
        return "";
    }

    /**
     * When the bundle stops (it is stopped, updated or uninstalled): every sink this factory made has been stopped,
     * as the platform does before the factory's service goes away, and closed its own file systems. What Hadoop
     * keeps beyond them (threads, caches, shutdown hooks) is removed, so the old revision leaves nothing running
     * and its class loader can be collected. Not on other deactivations: Hadoop's statistics cleaner, once
     * stopped, does not start again within the same class loader.
     */
    @Deactivate
    void deactivate(int reason) {
        // Unless a sink loaded Hadoop: touching its classes now would start the very threads and hooks removed here.
        if (reason == DEACTIVATION_REASON_BUNDLE_STOPPED && Hadoop.used()) {
            HadoopLeftovers.remove();
        }
    }
}
