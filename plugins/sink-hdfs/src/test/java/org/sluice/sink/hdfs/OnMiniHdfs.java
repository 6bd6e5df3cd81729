package org.sluice.sink.hdfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.sink.Sink;
import org.sluice.api.testkit.TestChannel;
import org.sluice.testkit.TestContexts;

/**
 * What the tests of sinks writing to a real HDFS share: one MiniDFSCluster for the test class, and for each test a
 * directory of its own in it ({@link #dir}), a channel, and the sinks it started, stopped after it.
 */
abstract class OnMiniHdfs {
    private static final AtomicInteger DIRS = new AtomicInteger();

    @TempDir
    static java.nio.file.Path clusterDir;
    static Hdfs hdfs;

    @TempDir
    java.nio.file.Path temp;
    final TestChannel channel = new TestChannel(100_000);
    private final List<Sink> started = new ArrayList<>();
    String dir;
    FileSystem fs;

    @BeforeAll
    static void startCluster() throws IOException {
        hdfs = Hdfs.start(clusterDir);
    }

    @AfterAll
    static void stopCluster() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @BeforeEach
    void freshDirectory() throws IOException {
        dir = hdfs.uri() + "/flume/t" + DIRS.incrementAndGet();
        fs = hdfs.fs();
    }

    @AfterEach
    void stopSinks() {
        started.forEach(Sink::stop);
    }

    /** A started sink of this configuration, taking from {@link #channel}. */
    Sink start(Map<String, String> properties) throws Exception {
        Sink sink = new HdfsSinkFactory().create(TestContexts.sink("k1", properties, channel, temp.resolve("data")));
        sink.start();
        started.add(sink);
        return sink;
    }

    /** Stops the sink now (its files closed and renamed), before the test reads them. */
    void stop(Sink sink) {
        sink.stop();
        started.remove(sink);
    }
}
