package org.sluice.sink.hdfs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.testkit.TestChannel;
import org.sluice.testkit.TestContexts;

/** HDFS goes away while the sink runs: batches fail and stay in the channel, and are written once it is back. */
class HdfsOutageTest {
    @TempDir
    java.nio.file.Path temp;
    private MiniDFSCluster cluster;
    private Sink sink;

    @AfterEach
    void tearDown() {
        if (sink != null) {
            sink.stop();
        }
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    @Test
    void eventsWaitInTheChannelWhileHdfsIsDownAndAreWrittenWhenItIsBack() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Configuration conf = Hdfs.clusterConf(temp.resolve("dfs"));
        // The NameNode refuses a second lease recovery for 30 heartbeats after one that found no replica (the sink
        // may ask before the restarted DataNode has reported its blocks): 1 s heartbeats make that 30 s, not 90.
        conf.setInt("dfs.heartbeat.interval", 1);
        cluster = new MiniDFSCluster.Builder(conf).nameNodePort(port).numDataNodes(1).build();
        cluster.waitActive();
        String dir = cluster.getURI() + "/flume/outage";

        TestChannel channel = new TestChannel(1000);
        Map<String, String> props = new HashMap<>();
        props.put("hdfs.path", dir);
        props.put("hdfs.fileType", "DataStream");
        props.put("hdfs.rollCount", "0");
        props.put("hdfs.rollSize", "0");
        props.put("hdfs.batchSize", "10");
        props.put("hdfs.callTimeout", "3000");
        props.put("hdfs.retryInterval", "1");
        // Fail fast while the NameNode is away, instead of Hadoop's minutes of connection retries.
        props.put("hdfs.config.dfs.replication", "1");
        props.put("hdfs.config.ipc.client.connect.max.retries", "1");
        props.put("hdfs.config.ipc.client.connect.retry.interval", "100");
        props.put("hdfs.config.ipc.client.connect.timeout", "1000");
        props.put("hdfs.config.ipc.client.connect.max.retries.on.timeouts", "1");
        var context = TestContexts.sink("k1", props, channel, temp.resolve("data"));
        var counters = TestContexts.countersOf(context);
        sink = new HdfsSinkFactory().create(context);
        sink.start();

        channel.putCommitted(HdfsSinkTest.events(0, 10));
        assertEquals(Sink.Status.READY, sink.process());
        assertEquals(0, channel.size());

        cluster.shutdown(false);
        cluster = null;
        channel.putCommitted(HdfsSinkTest.events(10, 30));
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThrows(EventDeliveryException.class, sink::process);
            assertEquals(20, channel.size(), "a failed batch rolls back into the channel");
        }

        cluster = new MiniDFSCluster.Builder(conf).nameNodePort(port).format(false).numDataNodes(1).build();
        cluster.waitActive();
        // Shorter still for recoveries asked for from now on.
        cluster.getNamesystem().getBlockManager().setBlockRecoveryTimeout(2000);
        // Batches fail until the DataNode is back and the lease of the file open at the outage is recovered.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(EventDeliveryException.class)
                .until(() -> {
                    sink.process();
                    return channel.size() == 0;
                });
        assertEquals(30, counters.get("EventDrainSuccessCount"));
        assertTrue(counters.get("EventWriteFail") >= 2, counters.snapshot().toString());
        // The file open at the outage is renamed by the retries (hdfs.retryInterval), once its lease is recovered.
        FileSystem fs = cluster.getFileSystem();
        HdfsSinkTest.waitUntil(60, () -> Hdfs.files(fs, new Path(dir)).stream().noneMatch(p -> p.getName().endsWith(".tmp")));
        sink.stop();
        sink = null;

        // Every event is in HDFS (the batch in flight at the outage may be there twice: at-least-once), and the
        // file open at the outage was recovered and renamed, not lost.
        List<Path> files = Hdfs.files(fs, new Path(dir));
        List<String> lines = new ArrayList<>();
        for (Path file : files) {
            assertTrue(!file.getName().endsWith(".tmp"), files.toString());
            try (InputStream in = fs.open(file)) {
                lines.addAll(Hdfs.lines(in));
            }
        }
        assertEquals(new TreeSet<>(HdfsSinkTest.bodies(0, 30)), new TreeSet<>(lines));
        assertTrue(lines.containsAll(HdfsSinkTest.bodies(0, 10)));
    }

}
