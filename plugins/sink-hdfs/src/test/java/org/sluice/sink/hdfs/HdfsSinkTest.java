package org.sluice.sink.hdfs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.IOUtils;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.sink.Sink;

/** The sink against a real HDFS (MiniDFSCluster), read back with Hadoop's and Avro's own readers. */
class HdfsSinkTest extends OnMiniHdfs {
    /** 2024-03-05T10:15:30Z. */
    private static final long TIME = 1709633730000L;

    @Test
    void dataStreamTextCommitsOnlyWhatIsReadableInHdfsAndRollsByCount() throws Exception {
        Sink sink = start(props("hdfs.fileType", "DataStream", "hdfs.rollCount", "10", "hdfs.rollSize", "0",
                "hdfs.batchSize", "7"));
        channel.putCommitted(events(0, 25));

        while (channel.size() > 0) {
            assertEquals(Sink.Status.READY, sink.process());
        }

        // Before stop: two files rolled at 10 events and renamed, the third still in use but its committed
        // batches already readable, which is what the commit waited for.
        List<Path> files = Hdfs.files(fs, new Path(dir));
        assertEquals(3, files.size(), files.toString());
        assertTrue(files.get(2).getName().matches("FlumeData\\.\\d+\\.tmp"), files.toString());
        assertTrue(files.get(0).getName().matches("FlumeData\\.\\d+"), files.toString());
        assertEquals(bodies(0, 25), textLines(files));

        stop(sink);
        files = Hdfs.files(fs, new Path(dir));
        assertTrue(files.stream().noneMatch(p -> p.getName().endsWith(".tmp")), files.toString());
        assertEquals(bodies(0, 25), textLines(files));
        assertEquals(List.of(10, 10, 5), files.stream().map(this::lineCount).collect(Collectors.toList()));
    }

    @Test
    void sequenceFileWritableHasTimestampKeysAndBytesWritableBodies() throws Exception {
        Sink sink = start(props("hdfs.rollCount", "0", "hdfs.rollSize", "0"));
        channel.putCommitted(events(0, 30));
        while (channel.size() > 0) {
            sink.process();
        }
        stop(sink);

        List<Path> files = Hdfs.files(fs, new Path(dir));
        assertEquals(1, files.size());
        List<String> bodies = new ArrayList<>();
        try (SequenceFile.Reader reader = new SequenceFile.Reader(hdfs.conf, SequenceFile.Reader.file(files.get(0)))) {
            assertEquals(LongWritable.class, reader.getKeyClass());
            assertEquals(BytesWritable.class, reader.getValueClass());
            LongWritable key = new LongWritable();
            BytesWritable value = new BytesWritable();
            while (reader.next(key, value)) {
                assertEquals(TIME, key.get());
                bodies.add(new String(value.copyBytes(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(bodies(0, 30), bodies);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "gzip"})
    void sequenceFileTextWriteFormatOptionallyBlockCompressed(String codec) throws Exception {
        Sink sink = start(props("hdfs.writeFormat", "Text", "hdfs.codeC", codec, "hdfs.rollCount", "0",
                "hdfs.rollSize", "0", "hdfs.batchSize", "4"));
        channel.putCommitted(events(0, 10));
        while (channel.size() > 0) {
            sink.process();
        }
        stop(sink);

        List<Path> files = Hdfs.files(fs, new Path(dir));
        assertEquals(1, files.size());
        assertEquals(codec.isEmpty() ? "" : ".gz", files.get(0).getName().replaceAll("FlumeData\\.\\d+", ""));
        List<String> bodies = new ArrayList<>();
        try (SequenceFile.Reader reader = new SequenceFile.Reader(hdfs.conf, SequenceFile.Reader.file(files.get(0)))) {
            assertEquals(Text.class, reader.getValueClass());
            assertEquals(!codec.isEmpty(), reader.isBlockCompressed());
            LongWritable key = new LongWritable();
            Text value = new Text();
            while (reader.next(key, value)) {
                bodies.add(value.toString());
            }
        }
        assertEquals(bodies(0, 10), bodies);
    }

    @Test
    void compressedStreamGzipIsReadableAfterEachBatchAndAsAWhole() throws Exception {
        Sink sink = start(props("hdfs.fileType", "CompressedStream", "hdfs.codeC", "gzip", "hdfs.rollCount", "0",
                "hdfs.rollSize", "0", "hdfs.batchSize", "10"));
        CompressionCodec gzip = new CompressionCodecFactory(hdfs.conf).getCodecByName("gzip");
        channel.putCommitted(events(0, 10));
        sink.process();
        // The committed batch is a complete gzip member: readable while the file is still in use.
        List<Path> files = Hdfs.files(fs, new Path(dir));
        assertTrue(files.get(0).getName().endsWith(".gz.tmp"), files.toString());
        try (InputStream in = gzip.createInputStream(fs.open(files.get(0)))) {
            assertEquals(bodies(0, 10), Hdfs.lines(in));
        }
        channel.putCommitted(events(10, 35));
        while (channel.size() > 0) {
            sink.process();
        }
        stop(sink);

        files = Hdfs.files(fs, new Path(dir));
        assertEquals(1, files.size());
        assertTrue(files.get(0).getName().matches("FlumeData\\.\\d+\\.gz"), files.toString());
        try (InputStream in = gzip.createInputStream(fs.open(files.get(0)))) {
            assertEquals(bodies(0, 35), Hdfs.lines(in));
        }
        // And plain gzip (concatenated members) reads it too.
        try (InputStream in = new java.util.zip.GZIPInputStream(fs.open(files.get(0)))) {
            assertEquals(bodies(0, 35), Hdfs.lines(in));
        }
    }

    @Test
    void worksFromAThreadWhoseContextClassLoaderSeesNoHadoop() throws Exception {
        // Inside OSGi the platform's threads have such a loader: Hadoop's service lookups must not depend on it.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(new java.net.URLClassLoader(new java.net.URL[0], null));
        try {
            Sink sink = start(props("hdfs.fileType", "CompressedStream", "hdfs.codeC", "gzip"));
            channel.putCommitted(events(0, 5));
            sink.process();
            stop(sink);
        } finally {
            thread.setContextClassLoader(previous);
        }
        CompressionCodec gzip = new CompressionCodecFactory(hdfs.conf).getCodecByName("gzip");
        try (InputStream in = gzip.createInputStream(fs.open(Hdfs.files(fs, new Path(dir)).get(0)))) {
            assertEquals(bodies(0, 5), Hdfs.lines(in));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bzip2", "deflate", "snappy"})
    void compressedStreamWithTheOtherCodecsReadsBackThroughHadoopsCodec(String name) throws Exception {
        Sink sink = start(props("hdfs.fileType", "CompressedStream", "hdfs.codeC", name, "hdfs.rollCount", "0",
                "hdfs.rollSize", "0", "hdfs.batchSize", "8"));
        channel.putCommitted(events(0, 20));
        while (channel.size() > 0) {
            sink.process();
        }
        stop(sink);

        CompressionCodec codec = new CompressionCodecFactory(hdfs.conf).getCodecByName(name);
        List<Path> files = Hdfs.files(fs, new Path(dir));
        assertEquals(1, files.size());
        assertTrue(files.get(0).getName().endsWith(codec.getDefaultExtension()), files.toString());
        // Three batches, so three compressed streams back to back, read as one.
        try (InputStream in = codec.createInputStream(fs.open(files.get(0)))) {
            assertEquals(bodies(0, 20), Hdfs.lines(in));
        }
    }

    @Test
    void timePartitionedPathUsesTheTimestampHeaderInTheSinksTimeZone() throws Exception {
        Sink sink = start(props("hdfs.path", dir + "/year=%Y/month=%m/day=%d", "hdfs.fileType", "DataStream",
                "hdfs.timeZone", "UTC", "hdfs.filePrefix", "events-%{host}", "hdfs.rollCount", "0", "hdfs.rollSize", "0"));
        long nextDay = TIME + 24L * 3600 * 1000;
        channel.putCommitted(List.of(event("a", TIME, "h1"), event("b", nextDay, "h1"), event("c", TIME, "h2"),
                event("d", TIME, "h1")));
        sink.process();
        stop(sink);

        List<Path> files = Hdfs.files(fs, new Path(dir));
        Map<String, List<String>> byFile = new HashMap<>();
        for (Path file : files) {
            String relative = file.toUri().getPath().substring(new Path(dir).toUri().getPath().length() + 1);
            try (InputStream in = fs.open(file)) {
                byFile.put(relative.replaceAll("\\.\\d+$", ""), Hdfs.lines(in));
            }
        }
        assertEquals(Map.of(
                "year=2024/month=03/day=05/events-h1", List.of("a", "d"),
                "year=2024/month=03/day=06/events-h1", List.of("b"),
                "year=2024/month=03/day=05/events-h2", List.of("c")), byFile);
    }

    @Test
    void anEventWithoutTimestampForATimePathFailsTheBatchAndStaysInTheChannel() throws Exception {
        Sink sink = start(props("hdfs.path", dir + "/%Y", "hdfs.fileType", "DataStream"));
        channel.putCommitted(List.of(EventBuilder.withBody("x", StandardCharsets.UTF_8)));
        Exception e = assertThrows(org.sluice.api.sink.EventDeliveryException.class, sink::process);
        assertTrue(String.valueOf(e.getCause()).contains("timestamp"), String.valueOf(e.getCause()));
        assertEquals(1, channel.size());
    }

    @Test
    void rollsBySize() throws Exception {
        // Bodies are "e-00" .. : 4 bytes each; 10 bytes roll after the third event.
        Sink sink = start(props("hdfs.fileType", "DataStream", "hdfs.rollCount", "0", "hdfs.rollSize", "10"));
        channel.putCommitted(events(0, 7));
        sink.process();
        stop(sink);
        List<Path> files = Hdfs.files(fs, new Path(dir));
        assertEquals(List.of(3, 3, 1), files.stream().map(this::lineCount).collect(Collectors.toList()));
        assertEquals(bodies(0, 7), textLines(files));
    }

    @Test
    void rollsByIntervalAndRenamesWithoutAnotherEvent() throws Exception {
        Sink sink = start(props("hdfs.fileType", "DataStream", "hdfs.rollCount", "0", "hdfs.rollSize", "0",
                "hdfs.rollInterval", "1"));
        channel.putCommitted(events(0, 3));
        sink.process();
        assertTrue(Hdfs.files(fs, new Path(dir)).get(0).getName().endsWith(".tmp"));
        waitUntil(30, () -> Hdfs.files(fs, new Path(dir)).stream().noneMatch(p -> p.getName().endsWith(".tmp")));
        channel.putCommitted(events(3, 5));
        sink.process();
        List<Path> files = Hdfs.files(fs, new Path(dir));
        assertEquals(2, files.size(), files.toString());
        assertEquals(bodies(0, 5), textLines(files));
    }

    @Test
    void closesIdleFiles() throws Exception {
        Sink sink = start(props("hdfs.fileType", "DataStream", "hdfs.rollCount", "0", "hdfs.rollSize", "0",
                "hdfs.rollInterval", "0", "hdfs.idleTimeout", "1"));
        channel.putCommitted(events(0, 3));
        sink.process();
        waitUntil(30, () -> Hdfs.files(fs, new Path(dir)).stream().noneMatch(p -> p.getName().endsWith(".tmp")));
        assertEquals(bodies(0, 3), textLines(Hdfs.files(fs, new Path(dir))));
    }

    @Test
    void maxOpenFilesClosesTheLeastRecentlyUsedFile() throws Exception {
        Sink sink = start(props("hdfs.path", dir + "/%{k}", "hdfs.fileType", "DataStream", "hdfs.rollCount", "0",
                "hdfs.rollSize", "0", "hdfs.maxOpenFiles", "2"));
        channel.putCommitted(List.of(keyed("a"), keyed("b"), keyed("c")));
        sink.process();
        List<Path> files = Hdfs.files(fs, new Path(dir));
        assertEquals(List.of(false, true, true), files.stream().map(p -> p.getName().endsWith(".tmp"))
                .collect(Collectors.toList()), files.toString());
    }

    @Test
    void renamesFilesLeftInUseByACrashedRun() throws Exception {
        // A writer that died without closing: its lease is still held, its data hflushed.
        Path leftover = new Path(dir + "/FlumeData.1700000000000.tmp");
        FSDataOutputStream out = hdfs.fs().create(leftover);
        out.write("old-1\nold-2\n".getBytes(StandardCharsets.UTF_8));
        out.hflush();
        try {
            Sink sink = start(props("hdfs.fileType", "DataStream"));
            channel.putCommitted(events(0, 2));
            sink.process();
            List<Path> files = Hdfs.files(fs, new Path(dir));
            assertEquals(2, files.size(), files.toString());
            assertEquals("FlumeData.1700000000000", files.get(0).getName());
            try (InputStream in = fs.open(files.get(0))) {
                assertEquals(List.of("old-1", "old-2"), Hdfs.lines(in));
            }
        } finally {
            IOUtils.closeStream(out); // fails quietly: its lease was taken over, which is the point
        }
    }

    @Test
    void aLeftoverWhoseFinalNameIsTakenIsLeftAsItIs() throws Exception {
        Path leftover = new Path(dir + "/FlumeData.1700000000001.tmp");
        Path taken = new Path(dir + "/FlumeData.1700000000001");
        for (Path path : new Path[] {leftover, taken}) {
            try (FSDataOutputStream out = hdfs.fs().create(path)) {
                out.write((path.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        Sink sink = start(props("hdfs.fileType", "DataStream", "hdfs.retryInterval", "1"));
        channel.putCommitted(events(0, 1));
        sink.process();
        stop(sink);

        List<Path> files = Hdfs.files(fs, new Path(dir));
        assertEquals(3, files.size(), files.toString());
        for (Path path : new Path[] {leftover, taken}) {
            try (InputStream in = fs.open(path)) {
                assertEquals(List.of(path.getName()), Hdfs.lines(in), "never overwritten");
            }
        }
    }

    @Test
    void proxyUserOwnsTheFiles() throws Exception {
        Sink sink = start(props("hdfs.fileType", "DataStream", "hdfs.proxyUser", "alice"));
        hdfs.fs().mkdirs(new Path(dir));
        hdfs.fs().setPermission(new Path(dir), new org.apache.hadoop.fs.permission.FsPermission((short) 0777));
        channel.putCommitted(events(0, 1));
        sink.process();
        assertEquals("alice", fs.getFileStatus(Hdfs.files(fs, new Path(dir)).get(0)).getOwner());
    }

    @Test
    void writesToTheLocalFileSystemToo() throws Exception {
        java.nio.file.Path local = temp.resolve("out");
        Sink sink = start(props("hdfs.path", local.toUri().toString() + "%Y", "hdfs.fileType", "DataStream",
                "hdfs.timeZone", "UTC"));
        channel.putCommitted(events(0, 5));
        sink.process();
        stop(sink);
        try (var files = Files.list(temp.resolve("out2024"))) {
            List<java.nio.file.Path> data = files.filter(p -> !p.getFileName().toString().startsWith("."))
                    .collect(Collectors.toList());
            assertEquals(1, data.size(), data.toString());
            assertTrue(data.get(0).getFileName().toString().matches("FlumeData\\.\\d+"));
            assertEquals(bodies(0, 5), Files.readAllLines(data.get(0)));
        }
    }

    /** The test's defaults (this test's directory, one replica) overridden by {@code keyValues}. */
    private Map<String, String> props(String... keyValues) {
        Map<String, String> props = new HashMap<>();
        props.put("hdfs.path", dir);
        props.put("hdfs.config.dfs.replication", "1");
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    static List<Event> events(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> event(String.format("e-%02d", i), TIME, "h"))
                .collect(Collectors.toList());
    }

    static List<String> bodies(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> String.format("e-%02d", i)).collect(Collectors.toList());
    }

    private static Event event(String body, long time, String host) {
        Map<String, String> headers = new HashMap<>();
        headers.put("timestamp", Long.toString(time));
        headers.put("host", host);
        return EventBuilder.withBody(body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static Event keyed(String key) {
        return EventBuilder.withBody(key.getBytes(StandardCharsets.UTF_8), new HashMap<>(Map.of("k", key)));
    }

    private List<String> textLines(List<Path> files) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = fs.open(file)) {
                lines.addAll(Hdfs.lines(in));
            }
        }
        return lines;
    }

    private int lineCount(Path file) {
        try (InputStream in = fs.open(file)) {
            return Hdfs.lines(in).size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits for the condition (HDFS listings, renames by the sink's timers), at most {@code seconds}. */
    static void waitUntil(int seconds, Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100)).until(condition);
    }

}
