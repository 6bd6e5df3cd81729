package org.sluice.sink.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.file.Codec;
import org.apache.avro.file.CodecFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.ProviderUnavailableException;
import org.sluice.api.format.EventSerializerFactory;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.testkit.TestChannel;
import org.sluice.testkit.TestContexts;

/** Configuration errors are reported at creation, naming the key, as Flume's keys and values would be. */
class HdfsSinkFactoryTest {
    @TempDir
    Path temp;

    private ConfigurationException rejected(String... keyValues) {
        Map<String, String> props = new HashMap<>();
        props.put("hdfs.path", "/flume");
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return assertThrows(ConfigurationException.class, () -> new HdfsSinkFactory().create(
                TestContexts.sink("k1", props, new TestChannel(10), temp)));
    }

    private void assertRejected(String key, String... keyValues) {
        ConfigurationException e = rejected(keyValues);
        assertEquals(key, e.key(), e.getMessage());
    }

    @Test
    void namesTheKeyOfEachMistake() {
        assertRejected("hdfs.path", "hdfs.path", " ");
        assertRejected("hdfs.path", "hdfs.path", "/flume/%Q");
        assertRejected("hdfs.filePrefix", "hdfs.filePrefix", "%{oops");
        assertRejected("hdfs.fileType", "hdfs.fileType", "Parquet");
        assertRejected("hdfs.codeC", "hdfs.fileType", "DataStream", "hdfs.codeC", "gzip");
        assertRejected("hdfs.codeC", "hdfs.fileType", "CompressedStream");
        assertRejected("hdfs.writeFormat", "hdfs.writeFormat", "Json");
        assertRejected("hdfs.roundUnit", "hdfs.roundUnit", "day");
        assertRejected("hdfs.roundValue", "hdfs.round", "true", "hdfs.roundUnit", "minute", "hdfs.roundValue", "61");
        assertRejected("hdfs.roundValue", "hdfs.round", "true", "hdfs.roundUnit", "hour", "hdfs.roundValue", "25");
        assertRejected("hdfs.roundValue", "hdfs.round", "true", "hdfs.roundValue", "0");
        assertRejected("hdfs.batchSize", "hdfs.batchSize", "0");
        assertRejected("hdfs.rollCount", "hdfs.rollCount", "-1");
        assertRejected("serializer.compressionCodec", "serializer", "avro_event", "serializer.compressionCodec", "lzo");
        assertRejected("serializer.compressionCodec", "serializer", HdfsSinkFactory.HEADER_SCHEMA_AVRO_CLASS,
                "serializer.compressionCodec", "gzip");
        assertRejected("serializer.syncIntervalBytes", "serializer", "avro_event", "serializer.syncIntervalBytes", "16");
    }

    @Test
    void waitsForAPluginToProvideAnyOtherSerializerNamingTheKey() {
        ConfigurationException e = rejected("serializer", "com.example.MySerializer$Builder");
        assertTrue(e instanceof ProviderUnavailableException, e.toString());
        assertEquals("serializer", e.key());
        assertTrue(e.getMessage().contains("com.example.MySerializer$Builder"), e.getMessage());
    }

    @Test
    void aPluginsSerializerWritesEachDataStreamFileWithItsKeys() throws Exception {
        Path out = temp.resolve("out");
        EventSerializerFactory framed = (owner, keyPrefix, stream) -> new FramingSerializer(
                owner.subProperties(keyPrefix).get("label"), stream);
        TestChannel channel = new TestChannel(10);
        var sink = new HdfsSinkFactory().create(TestContexts.withPart(EventSerializerFactory.class,
                "com.example.Framed$Builder", framed).sink("k1", Map.of("hdfs.path", out.toUri().toString(),
                        "hdfs.fileType", "DataStream", "hdfs.rollCount", "2", "hdfs.rollInterval", "0",
                        "hdfs.rollSize", "0", "serializer", "com.example.Framed$Builder", "serializer.label", "L"),
                channel, temp));
        sink.start();
        try {
            channel.putCommitted(java.util.List.of(EventBuilder.withBody("a", StandardCharsets.UTF_8),
                    EventBuilder.withBody("b", StandardCharsets.UTF_8)));
            sink.process();
        } finally {
            sink.stop();
        }
        java.util.List<Path> files;
        try (var listing = Files.list(out)) {
            files = listing.filter(f -> f.getFileName().toString().startsWith("FlumeData")
                    && !f.getFileName().toString().endsWith(".tmp")).toList();
        }
        assertEquals(1, files.size(), files.toString());
        assertEquals("BEGIN L\na\nb\nEND L\n", Files.readString(files.get(0)));
    }

    /** Writes a first line when its file is made, a line per event, and a last one before the file is closed. */
    private record FramingSerializer(String label, java.io.OutputStream out)
            implements org.sluice.api.format.EventSerializer {
        @Override
        public void afterCreate() throws java.io.IOException {
            out.write(("BEGIN " + label + "\n").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void afterReopen() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void write(org.sluice.api.event.Event event) throws java.io.IOException {
            out.write(event.getBody());
            out.write('\n');
        }

        @Override
        public void flush() {
        }

        @Override
        public void beforeClose() throws java.io.IOException {
            out.write(("END " + label + "\n").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean supportsReopen() {
            return false;
        }
    }

    @Test
    void anAvroCodecWhoseLibraryCannotLoadFailsTheStartNamingTheKey() throws Exception {
        // As a codec whose library is missing behaves: Avro knows its name, and using it fails.
        CodecFactory.addCodec("broken-for-test", new CodecFactory() {
            @Override
            protected Codec createInstance() {
                throw new NoClassDefFoundError("com/github/luben/zstd/Zstd");
            }
        });
        var sink = new HdfsSinkFactory().create(TestContexts.sink("k1", Map.of("hdfs.path", temp.toUri().toString(),
                "hdfs.fileType", "DataStream", "serializer", "avro_event", "serializer.compressionCodec",
                "broken-for-test"), new TestChannel(10), temp));
        ConfigurationException e = assertThrows(ConfigurationException.class, sink::start);
        assertEquals("serializer.compressionCodec", e.key());
        assertTrue(e.getMessage().contains("com/github/luben/zstd/Zstd"), e.getMessage());
        sink.stop();
    }

    @Test
    void aCodecHadoopDoesNotHaveFailsTheStartNamingTheKey() throws Exception {
        var sink = new HdfsSinkFactory().create(TestContexts.sink("k1", Map.of("hdfs.path", "/flume",
                "hdfs.fileType", "CompressedStream", "hdfs.codeC", "lzo"), new TestChannel(10), temp));
        ConfigurationException e = assertThrows(ConfigurationException.class, sink::start);
        assertEquals("hdfs.codeC", e.key());
        sink.stop();
    }

    @Test
    void kerberosNeedsBothPrincipalAndKeytab() throws Exception {
        assertRejected("hdfs.kerberosKeytab", "hdfs.kerberosPrincipal", "flume/_HOST@EXAMPLE.COM");
        assertRejected("hdfs.kerberosPrincipal", "hdfs.kerberosKeytab", "/etc/flume.keytab");
        // Both: accepted here; the login happens at start (KerberosLoginTest).
        assertNotNull(new HdfsSinkFactory().create(TestContexts.sink("k1", Map.of("hdfs.path", "/flume", "hdfs.kerberosPrincipal",
                "flume/_HOST@EXAMPLE.COM", "hdfs.kerberosKeytab", "/etc/flume.keytab"), new TestChannel(10), temp)));
    }

    @Test
    void acceptsFlumesSerializerNamesInAnyCaseAndWritesWithTheOneNamed() throws Exception {
        Map<String, String> serializers = new java.util.LinkedHashMap<>();
        serializers.put("text", "body");
        serializers.put("TEXT", "body");
        serializers.put("org.apache.flume.serialization.BodyTextEventSerializer$Builder", "body");
        serializers.put("HEADER_AND_TEXT", "{h=v} body");
        serializers.put("org.apache.flume.serialization.HeaderAndBodyTextEventSerializer$Builder", "{h=v} body");
        serializers.put("Avro_Event", "Obj");
        serializers.put("org.apache.flume.serialization.FlumeEventAvroEventSerializer$Builder", "Obj");
        int n = 0;
        for (Map.Entry<String, String> serializer : serializers.entrySet()) {
            Path out = temp.resolve("out" + n++);
            TestChannel channel = new TestChannel(10);
            var sink = new HdfsSinkFactory().create(TestContexts.sink("k1", Map.of("hdfs.path", out.toUri().toString(),
                    "hdfs.fileType", "datastream", "serializer", serializer.getKey(), "hdfs.roundUnit", "Minute"),
                    channel, temp));
            sink.start();
            try {
                channel.putCommitted(java.util.List.of(EventBuilder.withBody("body".getBytes(StandardCharsets.UTF_8),
                        new HashMap<>(Map.of("h", "v")))));
                sink.process();
            } finally {
                sink.stop();
            }
            try (var files = Files.list(out)) {
                Path file = files.filter(p -> !p.getFileName().toString().startsWith(".")).findFirst().orElseThrow();
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertTrue(content.startsWith(serializer.getValue()), serializer.getKey() + " wrote " + content);
            }
        }
    }

    /** Writes one event stamped {@code millis} and leaves its file open; the names of what is in {@code out}. */
    private List<String> writeOne(Path out, long millis, String... keyValues) throws Exception {
        Map<String, String> properties = new HashMap<>(Map.of("hdfs.path", out.toUri() + "/%H",
                "hdfs.fileType", "DataStream"));
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        TestChannel channel = new TestChannel(10);
        var sink = new HdfsSinkFactory().create(TestContexts.sink("k1", properties, channel, temp));
        sink.start();
        try {
            channel.putCommitted(List.of(EventBuilder.withBody("body".getBytes(StandardCharsets.UTF_8),
                    new HashMap<>(Map.of("timestamp", Long.toString(millis))))));
            sink.process();
            try (var files = Files.walk(out)) {
                return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                        .map(p -> out.relativize(p).toString()).toList();
            }
        } finally {
            sink.stop();
        }
    }

    @Test
    void flumes110KeysAndDefaults() throws Exception {
        assertEquals(30000L, HdfsSinkFactory.Config.class.getMethod("hdfs_callTimeout").getDefaultValue(),
                "Flume's hdfs.callTimeout default");
        // 2024-01-01T05:30:00Z
        long fiveThirtyUtc = 1_704_087_000_000L;

        List<String> written = writeOne(temp.resolve("empty"), fiveThirtyUtc, "hdfs.timeZone", "UTC",
                "hdfs.emptyInUseSuffix", "true", "hdfs.inUseSuffix", ".writing");
        assertEquals(1, written.size(), written.toString());
        assertTrue(written.get(0).matches("05/FlumeData\\.\\d+"), "an open file without the in-use suffix: " + written);

        written = writeOne(temp.resolve("suffix"), fiveThirtyUtc, "hdfs.timeZone", "UTC");
        assertTrue(written.get(0).matches("05/FlumeData\\.\\d+\\.tmp"), written.toString());
    }

    @Test
    void aTimeZoneAsFlumeReadsItUnknownMeaningGmt() throws Exception {
        long fiveThirtyUtc = 1_704_087_000_000L;
        assertTrue(writeOne(temp.resolve("mars"), fiveThirtyUtc, "hdfs.timeZone", "Mars/Olympus").get(0)
                .startsWith("05/"), "an unknown zone is GMT, as in Flume");
        assertTrue(writeOne(temp.resolve("pst"), fiveThirtyUtc, "hdfs.timeZone", "PST").get(0).startsWith("21/"),
                "java.util.TimeZone's short names, as in Flume");
        assertTrue(writeOne(temp.resolve("plus"), fiveThirtyUtc, "hdfs.timeZone", "GMT+2").get(0).startsWith("07/"));
    }

    @Test
    void aRoundValueIsOnlyCheckedWhenRoundingAsInFlume() throws Exception {
        assertNotNull(new HdfsSinkFactory().create(TestContexts.sink("k1", Map.of("hdfs.path", "/flume",
                "hdfs.roundValue", "0"), new TestChannel(10), temp)));
        assertNotNull(new HdfsSinkFactory().create(TestContexts.sink("k1", Map.of("hdfs.path", "/flume",
                "hdfs.round", "true", "hdfs.roundUnit", "hour", "hdfs.roundValue", "24"), new TestChannel(10), temp)));
    }
}
