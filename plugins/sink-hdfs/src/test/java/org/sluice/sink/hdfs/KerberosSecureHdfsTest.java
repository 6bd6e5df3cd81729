package org.sluice.sink.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.sink.Sink;
import org.sluice.api.testkit.TestChannel;
import org.sluice.testkit.TestContexts;

/**
 * The sink against a Kerberos-secured HDFS, configured as a Flume user configures it: the cluster's core-site.xml
 * and hdfs-site.xml in the agent's conf directory, and hdfs.kerberosPrincipal = flume/_HOST@REALM with its keytab.
 * Files are created by the principal's user, or by hdfs.proxyUser on its behalf; read back as the HDFS superuser.
 */
class KerberosSecureHdfsTest {
    @TempDir
    static Path clusterDir;
    private static TestKdc kdc;
    private static SecureHdfs hdfs;
    private static File flumeKeytab;
    private static File superuserKeytab;

    @TempDir
    Path temp;
    private final List<Sink> started = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        kdc = TestKdc.get();
        superuserKeytab = kdc.keytab("hdfs.keytab", "hdfs/localhost", "HTTP/localhost");
        flumeKeytab = kdc.hostKeytab();
        hdfs = SecureHdfs.start(clusterDir, kdc, superuserKeytab, "flume");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @AfterEach
    void stopSinks() {
        started.forEach(Sink::stop);
    }

    @Test
    void writesAsThePrincipalsUser() throws Exception {
        TestChannel channel = new TestChannel(100);
        channel.putCommitted(events(0, 25));
        Sink sink = start(channel, props("/flume/as-principal", Map.of()));
        while (channel.size() > 0) {
            assertEquals(Sink.Status.READY, sink.process());
        }
        sink.stop();
        started.clear();

        List<FileStatus> files = asSuperuser(fs -> List.of(fs.listStatus(new org.apache.hadoop.fs.Path(
                "/flume/as-principal"))));
        assertEquals(3, files.size(), files.toString());
        for (FileStatus file : files) {
            assertTrue(file.getPath().getName().matches("FlumeData\\.\\d+"), file.toString());
            assertEquals("flume", file.getOwner(), file.toString());
        }
        assertEquals(bodies(0, 25), lines(files));
    }

    @Test
    void writesAsTheProxyUserOnThePrincipalsBehalf() throws Exception {
        TestChannel channel = new TestChannel(100);
        channel.putCommitted(events(0, 5));
        Sink sink = start(channel, props("/flume/as-proxy", Map.of("hdfs.proxyUser", "alice")));
        assertEquals(Sink.Status.READY, sink.process());
        sink.stop();
        started.clear();

        List<FileStatus> files = asSuperuser(fs -> List.of(fs.listStatus(new org.apache.hadoop.fs.Path(
                "/flume/as-proxy"))));
        assertEquals(1, files.size(), files.toString());
        assertEquals("alice", files.get(0).getOwner());
        assertEquals(bodies(0, 5), lines(files));
    }

    /** The control: the cluster really demands Kerberos, and a refused batch stays in the channel. */
    @Test
    void withoutPrincipalTheClusterRefusesTheSinkAndTheEventsStay() throws Exception {
        TestChannel channel = new TestChannel(100);
        channel.putCommitted(events(0, 5));
        Map<String, String> properties = props("/flume/anonymous", Map.of("hdfs.callTimeout", "60000"));
        properties.remove("hdfs.kerberosPrincipal");
        properties.remove("hdfs.kerberosKeytab");
        Sink sink = start(channel, properties);
        Exception refused = org.junit.jupiter.api.Assertions.assertThrows(
                org.sluice.api.sink.EventDeliveryException.class, sink::process);
        assertEquals(5, channel.size(), "rolled back");
        StringBuilder causes = new StringBuilder();
        for (Throwable c = refused; c != null; c = c.getCause()) {
            causes.append(c).append('\n');
        }
        // "Client cannot authenticate via:[TOKEN, KERBEROS]", or "Failed to find any Kerberos tgt" once a sink
        // before this one left Hadoop in Kerberos mode.
        assertTrue(causes.toString().toLowerCase(java.util.Locale.ROOT).contains("kerberos"), causes.toString());
    }

    private Map<String, String> props(String path, Map<String, String> more) {
        Map<String, String> properties = new HashMap<>();
        properties.put("hdfs.path", path); // no scheme: fs.defaultFS of the conf directory's core-site.xml
        properties.put("hdfs.fileType", "DataStream");
        properties.put("hdfs.rollCount", "10");
        properties.put("hdfs.rollSize", "0");
        properties.put("hdfs.batchSize", "10");
        properties.put("hdfs.kerberosPrincipal", "flume/_HOST@" + kdc.realm());
        properties.put("hdfs.kerberosKeytab", flumeKeytab.toString());
        properties.putAll(more);
        return properties;
    }

    private Sink start(TestChannel channel, Map<String, String> properties) throws Exception {
        Sink sink = new HdfsSinkFactory(hdfs.clientConf).create(TestContexts.sink("k1", properties, channel,
                temp.resolve("data")));
        sink.start();
        started.add(sink);
        return sink;
    }

    interface FsAction<T> {
        T run(FileSystem fs) throws Exception;
    }

    /** Reads as hdfs/localhost, in a login of its own that leaves the sink's login alone. */
    private static <T> T asSuperuser(FsAction<T> action) throws Exception {
        Configuration conf = new Configuration();
        conf.addResource(new org.apache.hadoop.fs.Path(new File(hdfs.clientConf, "core-site.xml").toURI()));
        conf.addResource(new org.apache.hadoop.fs.Path(new File(hdfs.clientConf, "hdfs-site.xml").toURI()));
        UserGroupInformation.setConfiguration(conf);
        UserGroupInformation superuser = UserGroupInformation.loginUserFromKeytabAndReturnUGI(
                "hdfs/localhost@" + kdc.realm(), superuserKeytab.toString());
        return superuser.doAs((PrivilegedExceptionAction<T>) () -> {
            try (FileSystem fs = FileSystem.newInstance(java.net.URI.create(hdfs.uri), conf)) {
                return action.run(fs);
            }
        });
    }

    private static List<String> lines(List<FileStatus> files) throws Exception {
        List<String> lines = new ArrayList<>();
        for (FileStatus file : files.stream().sorted().collect(Collectors.toList())) {
            lines.addAll(asSuperuser(fs -> Hdfs.lines(fs.open(file.getPath()))));
        }
        return lines;
    }

    private static List<Event> events(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> EventBuilder.withBody(("event-" + i).getBytes(
                java.nio.charset.StandardCharsets.UTF_8))).collect(Collectors.toList());
    }

    private static List<String> bodies(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "event-" + i).collect(Collectors.toList());
    }
}
