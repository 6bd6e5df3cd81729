package org.sluice.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's configurations (issue 5: spooldir -> file -> hdfs, as a Flume user writes them) run by the built
 * distribution against a real HDFS, and read back. A MiniDFSCluster runs in this JVM; the agent, a separate
 * {@code bin/sluice agent} process, finds it the way a user's agent finds their cluster: {@code HADOOP_CONF_DIR}
 * with a core-site.xml whose {@code fs.defaultFS} names it, so {@code hdfs.path = /tmp/flume} (no scheme) lands
 * there. The properties are the seed's, unchanged but for the spool directory, which is the test's (the file
 * channel's default directories are already the installation's own {@code data/}, which each test has fresh).
 *
 * <p>The agent's Flume HTTP metrics ({@code -Dflume.monitoring.type=http} in {@code JAVA_OPTS}) tell when the
 * sink has committed everything, so the agent is stopped only then; the files are read with Hadoop's
 * FileSystem API (DataStream text) and Avro's own DataFileReader (avro_event, snappy).
 */
class SeedConfigurationsHdfsIT {

    /** The seed configuration as the issue gives it. Only {@code /tmp/spooldir} is replaced, nothing else. */
    static final String SEED = String.join("\n",
            "agent1.sources = source1",
            "agent1.sinks = sink1",
            "agent1.channels = channel1",
            "agent1.sources.source1.channels = channel1",
            "agent1.sinks.sink1.channel = channel1",
            "agent1.sources.source1.type = spooldir",
            "agent1.sources.source1.spoolDir = /tmp/spooldir",
            "agent1.sinks.sink1.type = hdfs",
            "agent1.sinks.sink1.hdfs.path = /tmp/flume",
            "agent1.sinks.sink1.hdfs.filePrefix = events",
            "agent1.sinks.sink1.hdfs.fileSuffix = .log",
            "agent1.sinks.sink1.hdfs.inUsePrefix = _",
            "agent1.sinks.sink1.hdfs.fileType = DataStream",
            "agent1.channels.channel1.type = file",
            "");

    /** The seed's second sink: Avro container files of Flume's Event records, snappy-compressed. */
    static final String SEED_AVRO = SEED
            .replace("agent1.sinks.sink1.hdfs.fileSuffix = .log", "agent1.sinks.sink1.hdfs.fileSuffix = .avro")
            .replace("agent1.sinks.sink1.hdfs.fileType = DataStream", String.join("\n",
                    "agent1.sinks.sink1.hdfs.fileType = DataStream",
                    "agent1.sinks.sink1.serializer = avro_event",
                    "agent1.sinks.sink1.serializer.compressionCodec = snappy"));

    /** The seed's time-partitioned path, fed by a timestamp interceptor on the source. */
    static final String SEED_AVRO_PARTITIONED = SEED_AVRO
            .replace("agent1.sinks.sink1.hdfs.path = /tmp/flume",
                    "agent1.sinks.sink1.hdfs.path = /tmp/flume/year=%Y/month=%m/day=%d")
            .replace("agent1.sources.source1.spoolDir = /tmp/spooldir", String.join("\n",
                    "agent1.sources.source1.spoolDir = /tmp/spooldir",
                    "agent1.sources.source1.interceptors = i1",
                    "agent1.sources.source1.interceptors.i1.type = timestamp"));

    private static final org.apache.hadoop.fs.Path OUTPUT = new org.apache.hadoop.fs.Path("/tmp/flume");
    private static final Pattern PARTITION = Pattern.compile("year=(\\d{4})/month=(\\d{2})/day=(\\d{2})");
    private static final long WAIT_SECONDS = 120;
    private static final int CRASH_FILES = 8;
    private static final int CRASH_LINES_PER_FILE = 150;

    private static MiniDFSCluster cluster;
    private static FileSystem hdfs;
    private static Path hadoopConfDir;

    @BeforeAll
    static void startHdfs() throws IOException {
        Path work = Path.of(System.getProperty("sluice.itests.work", "target/work")).toAbsolutePath();
        Files.createDirectories(work);
        Path base = Files.createTempDirectory(work, "minidfs-");
        Configuration conf = new HdfsConfiguration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
        conf.setInt("dfs.replication", 1);
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        hdfs = cluster.getFileSystem();

        // What a user's HADOOP_CONF_DIR holds for this cluster: its address, and (one DataNode) one replica.
        hadoopConfDir = Files.createDirectories(base.resolve("hadoop-conf"));
        Files.writeString(hadoopConfDir.resolve("core-site.xml"), siteXml("fs.defaultFS", cluster.getURI().toString()),
                StandardCharsets.UTF_8);
        Files.writeString(hadoopConfDir.resolve("hdfs-site.xml"), siteXml("dfs.replication", "1"),
                StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    /** Every test writes to the seed's /tmp/flume; each starts from an empty one. */
    @BeforeEach
    void emptyOutput() throws IOException {
        hdfs.delete(OUTPUT, true);
    }

    /** Also names the cluster through flume-env.sh, as a Flume installation does, rather than the environment. */
    @Test
    void dataStreamSeedDeliversEveryLineOnceUnderFinalNames() throws Exception {
        try (Agent agent = Agent.create(SEED)) {
            agent.hadoopConfDirInFlumeEnvSh();
            List<String> lines = agent.drop(4, 125);
            agent.start();
            agent.awaitConsumed();
            agent.awaitDrained(lines.size());
            agent.stop();

            List<String> files = fileNames();
            assertNoInUseFile(files);
            for (String file : files) {
                assertTrue(file.matches("events\\.\\d+\\.log"), () -> "not the seed's file name: " + file);
            }
            assertEachOnce(lines, readText());
        }
    }

    @Test
    void avroSnappySeedDeliversEveryLineOnce() throws Exception {
        try (Agent agent = Agent.create(SEED_AVRO)) {
            List<String> lines = agent.drop(4, 125);
            agent.start();
            agent.awaitConsumed();
            agent.awaitDrained(lines.size());
            agent.stop();

            List<String> files = fileNames();
            assertNoInUseFile(files);
            for (String file : files) {
                assertTrue(file.matches("events\\.\\d+\\.avro"), () -> "not the seed's file name: " + file);
            }
            List<String> bodies = new ArrayList<>();
            for (AvroRecord record : readAvro()) {
                bodies.add(record.body);
            }
            assertEachOnce(lines, bodies);
        }
    }

    @Test
    void timePartitionedSeedWritesEachEventUnderItsTimestampsDay() throws Exception {
        try (Agent agent = Agent.create(SEED_AVRO_PARTITIONED)) {
            List<String> lines = agent.drop(3, 150);
            LocalDate first = LocalDate.now(ZoneId.systemDefault());
            agent.start();
            agent.awaitConsumed();
            agent.awaitDrained(lines.size());
            agent.stop();
            LocalDate last = LocalDate.now(ZoneId.systemDefault());

            List<String> files = fileNames();
            assertNoInUseFile(files);
            for (String file : files) {
                assertTrue(file.matches("events\\.\\d+\\.avro"), () -> "not the seed's file name: " + file);
            }
            List<String> bodies = new ArrayList<>();
            for (AvroRecord record : readAvro()) {
                bodies.add(record.body);
                Matcher partition = PARTITION.matcher(record.directory);
                assertTrue(partition.matches(), () -> "not a year=/month=/day= directory: " + record.directory);
                LocalDate day = LocalDate.of(Integer.parseInt(partition.group(1)), Integer.parseInt(partition.group(2)),
                        Integer.parseInt(partition.group(3)));
                assertTrue(!day.isBefore(first) && !day.isAfter(last), () -> record.directory + " is not a day of "
                        + "the run (" + first + " to " + last + ")");
                // The agent and this JVM share the machine's zone: the interceptor's timestamp names the directory.
                String stamp = record.headers.get("timestamp");
                assertTrue(stamp != null, () -> "no timestamp header on " + record.body);
                assertEquals(Instant.ofEpochMilli(Long.parseLong(stamp)).atZone(ZoneId.systemDefault()).toLocalDate(),
                        day, () -> record.body + " with timestamp " + stamp + " is in " + record.directory);
            }
            assertEachOnce(lines, bodies);
        }
    }

    /**
     * A crash mid-stream: SIGKILL while the spooldir source is still reading and the hdfs sink still writing, then
     * a restart of the same installation (same file channel, same spool directory). Every line of every file is
     * in HDFS at least once afterwards; duplicates are allowed (the batches in flight at the kill) and reported.
     * The in-use file the kill left open is renamed by the restarted sink, so none is left under an in-use name.
     */
    @Test
    void aKillMidStreamAndARestartLeaveEveryLineInHdfsAtLeastOnce() throws Exception {
        ExecutorService feeding = Executors.newSingleThreadExecutor();
        try (Agent agent = Agent.create(SEED)) {
            agent.start();
            // The first file, and the agent seen to deliver it end to end, before the clock of the feeder starts:
            // a slow start on a loaded machine must not let every file arrive before the kill.
            List<String> firstFile = agent.drop(1, CRASH_LINES_PER_FILE);
            agent.await("the sink to commit 10 events", () -> agent.drainedOrZero() >= 10);
            // The other files keep arriving, one every 1.5 s, before, during and after the kill, as they do in
            // production; each takes the source two batches, so the kill may find one half read.
            Future<List<String>> feeder = feeding.submit(() -> {
                List<String> all = new ArrayList<>(firstFile);
                for (int i = 1; i < CRASH_FILES; i++) {
                    Thread.sleep(1_500); // the pace of arrivals: the scenario, not a wait for a condition
                    all.addAll(agent.drop(1, CRASH_LINES_PER_FILE));
                }
                return all;
            });
            // Mid-stream: a few HDFS files committed (the seed rolls every 10 events), most lines not yet written
            // or not yet dropped.
            agent.await("the sink to commit 50 events", () -> agent.drainedOrZero() >= 50 || feeder.isDone());
            assertTrue(!feeder.isDone(), "every file was dropped before the sink had committed 50 events, so the "
                    + "kill would not be mid-stream");
            agent.kill();
            long drainedAtKill = agent.lastDrained;
            int unfinishedAtKill = agent.unfinishedFiles() + CRASH_FILES - agent.droppedFiles();

            agent.start();
            List<String> lines = feeder.get(WAIT_SECONDS, TimeUnit.SECONDS);
            agent.awaitConsumed();
            agent.await("every line in HDFS", () -> missing(lines, readTextWhileWritten()) == 0);
            agent.stop();

            List<String> files = fileNames();
            assertNoInUseFile(files);
            Map<String, Integer> counts = count(readText());
            List<String> missing = new ArrayList<>();
            long duplicates = 0;
            for (String line : lines) {
                int seen = counts.getOrDefault(line, 0);
                if (seen == 0) {
                    missing.add(line);
                }
                duplicates += Math.max(0, seen - 1);
            }
            System.out.printf("SeedConfigurationsHdfsIT crash: %d lines in %d files; killed after %d events "
                    + "committed, %d files not yet consumed (or not yet dropped); %d HDFS files; %d missing, %d duplicates%n",
                    lines.size(), CRASH_FILES, drainedAtKill, unfinishedAtKill, files.size(), missing.size(), duplicates);
            assertEquals(List.of(), missing.subList(0, Math.min(20, missing.size())),
                    missing.size() + " lines lost across the kill (first 20 shown)");
            java.util.Set<String> droppedLines = new java.util.HashSet<>(lines);
            List<String> strangers = counts.keySet().stream().filter(l -> !droppedLines.contains(l)).limit(10).toList();
            assertEquals(List.of(), strangers, "HDFS holds lines that were never dropped (first 10 shown)");
        } finally {
            feeding.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** One installation of the distribution running one seed configuration, started and stopped by the test. */
    private static final class Agent implements AutoCloseable {
        private final Installation sluice;
        private final Path spool;
        private final Path staging;
        private final int metricsPort;
        /** Written by the crash test's feeder thread while the test thread reads it. */
        private final List<String> dropped = new CopyOnWriteArrayList<>();
        private AgentProcess process;
        private boolean hadoopConfInFlumeEnv;
        long lastDrained;

        private Agent(Installation sluice, Path spool, Path staging, int metricsPort) {
            this.sluice = sluice;
            this.spool = spool;
            this.staging = staging;
            this.metricsPort = metricsPort;
        }

        static Agent create(String seed) throws IOException {
            Installation sluice = Installation.fresh();
            Path spool = Files.createDirectories(sluice.resolve("spooldir"));
            Path staging = Files.createDirectories(sluice.resolve("staging"));
            Files.writeString(sluice.resolve("conf").resolve("seed.properties"),
                    seed.replace("/tmp/spooldir", spool.toString()), StandardCharsets.UTF_8);
            return new Agent(sluice, spool, staging, NetcatClient.freePort());
        }

        /**
         * Drops {@code files} files of {@code linesPerFile} numbered lines into the spool directory, each written
         * beside it and moved in complete, as the spooldir source requires. Returns every line.
         */
        List<String> drop(int files, int linesPerFile) throws IOException {
            List<String> lines = new ArrayList<>();
            for (int f = 0; f < files; f++) {
                String name = String.format("input-%03d.txt", dropped.size());
                StringBuilder content = new StringBuilder();
                for (int l = 0; l < linesPerFile; l++) {
                    String line = String.format("file-%03d line-%05d", dropped.size(), l);
                    lines.add(line);
                    content.append(line).append('\n');
                }
                Path written = Files.writeString(staging.resolve(name), content, StandardCharsets.UTF_8);
                Files.move(written, spool.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                dropped.add(name);
            }
            return lines;
        }

        /**
         * Names the Hadoop configuration as many Flume users do: a plain {@code HADOOP_CONF_DIR=...} line, without
         * export, in the conf directory's flume-env.sh, instead of the agent's environment.
         */
        void hadoopConfDirInFlumeEnvSh() throws IOException {
            Files.writeString(sluice.resolve("conf").resolve("flume-env.sh"),
                    "HADOOP_CONF_DIR=" + hadoopConfDir + "\n", StandardCharsets.UTF_8);
            hadoopConfInFlumeEnv = true;
        }

        void start() throws IOException {
            Map<String, String> environment = new java.util.HashMap<>();
            environment.put("HADOOP_CONF_DIR", hadoopConfInFlumeEnv ? null : hadoopConfDir.toString());
            environment.put("HADOOP_HOME", null);
            environment.put("JAVA_OPTS", "-Dflume.monitoring.type=http -Dflume.monitoring.port=" + metricsPort);
            process = AgentProcess.start(sluice, environment, "agent", "-c", "conf", "-f", "conf/seed.properties",
                    "-n", "agent1");
        }

        /** Waits until every dropped file was renamed {@code .COMPLETED}: all its events are in the channel. */
        void awaitConsumed() throws Exception {
            await("every spool file renamed .COMPLETED", () -> unfinishedFiles() == 0);
        }

        int droppedFiles() {
            return dropped.size();
        }

        /** Dropped files not yet renamed .COMPLETED. */
        int unfinishedFiles() {
            int unfinished = 0;
            for (String name : dropped) {
                if (!Files.exists(spool.resolve(name + ".COMPLETED"))) {
                    unfinished++;
                }
            }
            return unfinished;
        }

        /** Waits until the hdfs sink has committed {@code events} events (Flume's EventDrainSuccessCount). */
        void awaitDrained(long events) throws Exception {
            await("the sink to commit " + events + " events", () -> drainedOrZero() >= events);
        }

        /** The sink's EventDrainSuccessCount now, 0 until the agent publishes it. */
        long drainedOrZero() {
            try {
                OptionalLong drained = counter("SINK.sink1", "EventDrainSuccessCount");
                lastDrained = drained.orElse(0);
                return lastDrained;
            } catch (IOException notYet) {
                return 0; // the agent's metrics server is not up yet; the await's deadline bounds this
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private OptionalLong counter(String group, String name) throws IOException, InterruptedException {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("metrics answered HTTP " + response.statusCode());
            }
            Matcher groupMatch = Pattern.compile("\"" + Pattern.quote(group) + "\"\\s*:\\s*\\{([^}]*)}")
                    .matcher(response.body());
            if (!groupMatch.find()) {
                return OptionalLong.empty();
            }
            Matcher value = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"?(\\d+)")
                    .matcher(groupMatch.group(1));
            return value.find() ? OptionalLong.of(Long.parseLong(value.group(1))) : OptionalLong.empty();
        }

        void await(String what, BooleanSupplier condition) throws Exception {
            try {
                process.await(what, Duration.ofSeconds(WAIT_SECONDS), condition::getAsBoolean);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + unfinishedFiles() + " spool files not consumed; log:\n"
                        + sluice.logText(), e);
            }
        }

        /** SIGTERM, as a user stops an agent; it must exit 0, with its open files closed and renamed. */
        void stop() throws Exception {
            int exit = process.terminate();
            assertEquals(0, exit, () -> "exit code after SIGTERM; log:\n" + logQuietly());
        }

        void kill() throws InterruptedException {
            drainedOrZero();
            process.kill();
        }

        private String logQuietly() {
            try {
                return sluice.logText();
            } catch (IOException e) {
                return "(log unreadable: " + e + ")";
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process != null) {
                process.close();
            }
        }
    }

    private record AvroRecord(String directory, Map<String, String> headers, String body) {
    }

    private static String siteXml(String key, String value) {
        return "<?xml version=\"1.0\"?>\n<configuration>\n  <property><name>" + key + "</name><value>" + value
                + "</value></property>\n</configuration>\n";
    }

    /** Every file under /tmp/flume, by its path relative to /tmp/flume (sorted). */
    private static List<String> filePaths() throws IOException {
        List<String> paths = new ArrayList<>();
        if (!hdfs.exists(OUTPUT)) {
            return paths;
        }
        String root = hdfs.makeQualified(OUTPUT).toUri().getPath() + "/";
        RemoteIterator<LocatedFileStatus> files = hdfs.listFiles(OUTPUT, true);
        while (files.hasNext()) {
            String path = files.next().getPath().toUri().getPath();
            paths.add(path.substring(root.length()));
        }
        paths.sort(null);
        return paths;
    }

    private static List<String> fileNames() throws IOException {
        List<String> names = new ArrayList<>();
        for (String path : filePaths()) {
            names.add(path.substring(path.lastIndexOf('/') + 1));
        }
        assertTrue(!names.isEmpty(), "nothing under " + OUTPUT + " in HDFS");
        return names;
    }

    private static void assertNoInUseFile(List<String> names) {
        List<String> inUse = names.stream().filter(SeedConfigurationsHdfsIT::isInUse).toList();
        assertEquals(List.of(), inUse, "files left under their in-use name after the agent stopped");
    }

    /** The seed's in-use names: hdfs.inUsePrefix = _ and the default hdfs.inUseSuffix .tmp. */
    private static boolean isInUse(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.startsWith("_") || name.endsWith(".tmp");
    }

    private static byte[] read(String relative) throws IOException {
        try (FSDataInputStream in = hdfs.open(new org.apache.hadoop.fs.Path(OUTPUT, relative))) {
            return in.readAllBytes();
        }
    }

    /**
     * Every line of every DataStream file. Each file must end on a whole line, even one the kill left open: the
     * seed rolls at 10 events or 1024 bytes, far below an HDFS packet (64 KB), so nothing reaches the DataNode but
     * at an hflush, and an hflush ends on an event.
     */
    private static List<String> readText() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String path : filePaths()) {
            String content = new String(read(path), StandardCharsets.UTF_8);
            assertTrue(content.isEmpty() || content.endsWith("\n"), () -> path + " ends in a torn line");
            if (!content.isEmpty()) {
                lines.addAll(List.of(content.substring(0, content.length() - 1).split("\n", -1)));
            }
        }
        return lines;
    }

    /**
     * The lines in HDFS while the agent still writes: a file in use may end in a line being written, which is
     * left out (it is counted once its batch is flushed), and a file renamed from its in-use name between the
     * listing and the open is left out too (the next look finds it under its final name). Only used to know when
     * to stop the agent; what is asserted is read strictly afterwards.
     */
    private static List<String> readTextWhileWritten() {
        List<String> lines = new ArrayList<>();
        try {
            for (String path : filePaths()) {
                String content;
                try {
                    content = new String(read(path), StandardCharsets.UTF_8);
                } catch (java.io.FileNotFoundException renamed) {
                    continue;
                } catch (IOException e) {
                    if (isInUse(path)) {
                        // A file the kill left open, while the NameNode recovers its lease ("Cannot obtain block
                        // length"): not finished by contract; the strict read after the stop reads it.
                        continue;
                    }
                    throw e;
                }
                int end = content.lastIndexOf('\n');
                if (end > 0) {
                    lines.addAll(List.of(content.substring(0, end).split("\n", -1)));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return lines;
    }

    /** Every record of every avro_event file, checked to be snappy-compressed Avro with Flume's Event schema. */
    private static List<AvroRecord> readAvro() throws IOException {
        List<AvroRecord> records = new ArrayList<>();
        for (String path : filePaths()) {
            try (DataFileReader<GenericRecord> reader = new DataFileReader<>(new SeekableByteArrayInput(read(path)),
                    new GenericDatumReader<>())) {
                assertEquals("snappy", reader.getMetaString("avro.codec"), path);
                assertEquals("Event", reader.getSchema().getName(), path);
                String directory = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
                for (GenericRecord record : reader) {
                    Map<String, String> headers = new TreeMap<>();
                    ((Map<?, ?>) record.get("headers")).forEach((k, v) -> headers.put(k.toString(), v.toString()));
                    ByteBuffer body = (ByteBuffer) record.get("body");
                    byte[] bytes = new byte[body.remaining()];
                    body.get(bytes);
                    records.add(new AvroRecord(directory, headers, new String(bytes, StandardCharsets.UTF_8)));
                }
            }
        }
        return records;
    }

    private static Map<String, Integer> count(List<String> lines) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String line : lines) {
            counts.merge(line, 1, Integer::sum);
        }
        return counts;
    }

    private static long missing(List<String> expected, List<String> actual) {
        java.util.Set<String> present = new java.util.HashSet<>(actual);
        return expected.stream().filter(l -> !present.contains(l)).count();
    }

    /** Without a crash, every line is there exactly once: nothing lost, nothing written twice. */
    private static void assertEachOnce(List<String> expected, List<String> actual) {
        assertEquals(count(expected), count(actual), "the lines in HDFS, with how often each is there");
    }
}
