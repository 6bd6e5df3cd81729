package org.sluice.sink.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
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
        assertRejected("hdfs.timeZone", "hdfs.timeZone", "Mars/Olympus");
        assertRejected("hdfs.batchSize", "hdfs.batchSize", "0");
        assertRejected("hdfs.rollCount", "hdfs.rollCount", "-1");
        assertRejected("serializer", "serializer", "com.example.MySerializer$Builder");
        assertRejected("serializer.compressionCodec", "serializer", "avro_event", "serializer.compressionCodec", "xz");
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
        new HdfsSinkFactory().create(TestContexts.sink("k1", Map.of("hdfs.path", "/flume", "hdfs.kerberosPrincipal",
                "flume/_HOST@EXAMPLE.COM", "hdfs.kerberosKeytab", "/etc/flume.keytab"), new TestChannel(10), temp));
    }

    @Test
    void acceptsFlumesNamesInAnyCase() throws Exception {
        for (String serializer : new String[] {"text", "HEADER_AND_TEXT", "Avro_Event",
            "org.apache.flume.serialization.HeaderAndBodyTextEventSerializer$Builder"}) {
            Map<String, String> props = Map.of("hdfs.path", "/flume", "hdfs.fileType", "datastream",
                    "serializer", serializer, "hdfs.roundUnit", "Minute");
            new HdfsSinkFactory().create(TestContexts.sink("k1", props, new TestChannel(10), temp));
        }
    }
}
