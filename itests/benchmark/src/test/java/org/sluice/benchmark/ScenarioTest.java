package org.sluice.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void rendersPlaceholdersAndHidesHarnessKeysFromTheAgents() throws IOException {
        Scenario scenario = Scenario.load(write("nc.properties", """
                # a comment the agents keep
                benchmark.counter = SINK.k1/EventDrainSuccessCount
                benchmark.directories = ${run.dir}/out
                benchmark.load = netcat
                benchmark.load.address = 127.0.0.1:${port.netcat}
                benchmark.load.connections = 2
                a1.sources = r1
                a1.sources.r1.type = netcat
                a1.sources.r1.port = ${port.netcat}
                a1.sources.r2.port = ${port.other}
                a1.sinks.k1.sink.directory = ${run.dir}/out
                """));
        AtomicInteger next = new AtomicInteger(5000);
        Scenario.Rendered r = scenario.render(Path.of("/tmp/run-1"), name -> next.getAndIncrement());

        assertEquals("nc", scenario.name());
        assertEquals("a1", r.agentName());
        assertEquals(new CounterRef("SINK.k1", "EventDrainSuccessCount"), r.counter());
        assertEquals(List.of(Path.of("/tmp/run-1/out")), r.directories());
        Scenario.NetcatLoad load = (Scenario.NetcatLoad) r.load().orElseThrow();
        assertEquals(5000, load.target().getPort(), "the load goes where the source listens");
        assertEquals(2, load.connections());
        assertEquals(500, load.lineBytes());
        assertEquals(1000, load.inFlightPerConnection());

        Properties agent = new Properties();
        agent.load(new StringReader(r.agentConfiguration()));
        assertEquals("5000", agent.getProperty("a1.sources.r1.port"));
        assertEquals("5001", agent.getProperty("a1.sources.r2.port"), "one port per placeholder name");
        assertEquals("/tmp/run-1/out", agent.getProperty("a1.sinks.k1.sink.directory"));
        assertTrue(agent.stringPropertyNames().stream().noneMatch(k -> k.startsWith("benchmark.")), agent.toString());
        assertTrue(r.agentConfiguration().contains("# a comment the agents keep"));
        assertFalse(scenario.agentTemplate().contains("benchmark."));
    }

    @Test
    void anRpcLoadNamesFlumesClientAndItsBatches() throws IOException {
        Scenario scenario = Scenario.load(write("rpc.properties", """
                benchmark.counter = CHANNEL.c1/EventTakeSuccessCount
                benchmark.load = thrift
                benchmark.load.address = 127.0.0.1:${port.thrift}
                benchmark.load.batch.size = 100
                a1.sources.r1.port = ${port.thrift}
                """));
        Scenario.RpcLoad load = (Scenario.RpcLoad) scenario.render(dir, name -> 6000).load().orElseThrow();

        assertEquals("thrift", load.client());
        assertEquals(6000, load.target().getPort());
        assertEquals(4, load.connections());
        assertEquals(100, load.batchSize());
        assertEquals(500, load.eventBytes());
    }

    @Test
    void aTaildirLoadWritesWhereTheFileGroupIsInMemoryWhenAsked() throws IOException {
        Scenario scenario = Scenario.load(write("tail.properties", """
                benchmark.counter = CHANNEL.c1/EventTakeSuccessCount
                benchmark.load = taildir
                benchmark.load.directory = ${tmpfs.dir}/tail
                benchmark.load.lag.lines = 5000
                a1.sources.r1.filegroups.f1 = ${tmpfs.dir}/tail/seg-.*\\\\.log
                """));
        Path runDir = dir.resolve("run-1");
        Scenario.Rendered rendered = scenario.render(runDir, n -> 1);
        Path tmpfs = Path.of("/dev/shm/sluice-benchmark").resolve(runDir.getRoot().relativize(runDir));
        assertEquals(new Scenario.TaildirLoad(tmpfs.resolve("tail"), 500, 5000, 268435456), rendered.load().get());
        assertTrue(rendered.agentConfiguration().contains("a1.sources.r1.filegroups.f1 = " + tmpfs + "/tail/seg-"),
                rendered.agentConfiguration());
    }

    @Test
    void aTaildirBacklogIsInTheScenariosDirectorySharedByItsRuns() throws IOException {
        Scenario scenario = Scenario.load(write("backlog.properties", """
                benchmark.counter = CHANNEL.c1/EventTakeSuccessCount
                benchmark.load = taildir-backlog
                benchmark.load.directory = ${scenario.dir}/tail
                benchmark.load.lines = 3000
                benchmark.warmup.max.seconds = 5
                benchmark.window.max.seconds = 10
                a1.sources.r1.filegroups.f1 = ${scenario.dir}/tail/seg-.*\\.log
                a1.sources.r1.positionFile = ${run.dir}/positions/p.json
                """));
        Path shared = dir.resolve("backlog/shared");
        Scenario.Rendered first = scenario.render(dir.resolve("backlog/flume-round-1"), n -> 1);
        Scenario.Rendered second = scenario.render(dir.resolve("backlog/sluice-round-1"), n -> 1);

        assertEquals(new Scenario.TaildirBacklogLoad(shared.resolve("tail"), 500, 3000, 268435456), first.load().get());
        assertEquals(first.load(), second.load(), "every run reads the same files");
        assertTrue(second.agentConfiguration().contains("a1.sources.r1.filegroups.f1 = " + shared + "/tail/seg-"),
                second.agentConfiguration());
        assertTrue(second.agentConfiguration().contains("positionFile = " + dir.resolve("backlog/sluice-round-1")),
                "a position file of the run's own: " + second.agentConfiguration());
        assertEquals(java.util.Optional.of(java.time.Duration.ofSeconds(5)), scenario.maxWarmUp());
        assertEquals(java.util.Optional.of(java.time.Duration.ofSeconds(10)), scenario.maxWindow());

        Path noLines = write("n.properties", "benchmark.counter = C/x\nbenchmark.load = taildir-backlog\n"
                + "benchmark.load.directory = ${scenario.dir}/tail\na1.x = y\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(noLines));
        assertEquals(noLines + ": benchmark.load.lines is required", e.getMessage());
    }

    @Test
    void aScenariosOwnWarmUpAndWindowShortenTheCommandLinesButNeverLengthenThem() throws IOException {
        Scenario own = Scenario.load(write("own.properties", "benchmark.counter = C/x\nbenchmark.warmup.max.seconds = 5\n"
                + "benchmark.window.max.seconds = 10\na1.x = y\n"));
        Scenario plain = Scenario.load(write("plain.properties", "benchmark.counter = C/x\na1.x = y\n"));
        Harness defaults = new Harness(Options.parse(new String[] {"--agents", "flume"}), List.of(own, plain), List.of(), null);
        Harness quick = new Harness(Options.parse(new String[] {"--agents", "flume", "--warmup", "2", "--window", "4"}),
                List.of(own), List.of(), null);

        assertEquals(java.time.Duration.ofSeconds(5), defaults.warmUp(own));
        assertEquals(java.time.Duration.ofSeconds(10), defaults.window(own));
        assertEquals(java.time.Duration.ofSeconds(15), defaults.warmUp(plain));
        assertEquals(java.time.Duration.ofSeconds(30), defaults.window(plain));
        assertEquals(java.time.Duration.ofSeconds(2), quick.warmUp(own));
        assertEquals(java.time.Duration.ofSeconds(4), quick.window(own));
        Path zero = write("z.properties", "benchmark.counter = C/x\nbenchmark.window.max.seconds = 0\na1.x = y\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(zero));
        assertEquals(zero + ": benchmark.window.max.seconds = 0 is not a positive number", e.getMessage());
    }

    @Test
    void withoutLoadKeyThereIsNoLoad() throws IOException {
        Scenario scenario = Scenario.load(write("seq.properties", "benchmark.counter = CHANNEL.c1/EventTakeSuccessCount\na1.sources = r1\n"));
        assertTrue(scenario.render(dir, n -> 1).load().isEmpty());
        assertTrue(scenario.targetRatio().isEmpty());
        assertEquals("seq", scenario.description(), "the name stands in for a missing description");
    }

    @Test
    void readsTheTargetRatio() throws IOException {
        Scenario scenario = Scenario.load(write("t.properties", "benchmark.counter = C/x\nbenchmark.target.ratio = 1.5\n"
                + "benchmark.description = fast\na1.sources = r1\n"));
        assertEquals(1.5, scenario.targetRatio().getAsDouble());
        assertEquals("fast", scenario.description());
        Path bad = write("b.properties", "benchmark.counter = C/x\nbenchmark.target.ratio = fast\na1.sources = r1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(bad));
        assertEquals(bad + ": benchmark.target.ratio = fast is not a positive number", e.getMessage());
    }

    @Test
    void errorsNameTheFileAndTheKey() throws IOException {
        Path unknown = write("u.properties", "benchmark.counter = C/x\na1.sinks.k1.sink.directory = ${home}/x\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(unknown));
        assertTrue(e.getMessage().startsWith(unknown + ": unknown placeholder ${home}"), e.getMessage());

        Path noCounter = write("c.properties", "a1.sources = r1\n");
        e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(noCounter));
        assertEquals(noCounter + ": benchmark.counter is required", e.getMessage());

        Path wrongAgent = write("a.properties", "benchmark.counter = C/x\nagent.sources = r1\n");
        e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(wrongAgent));
        assertTrue(e.getMessage().contains("no key starts with 'a1.'"), e.getMessage());

        Path remote = write("r.properties", "benchmark.counter = C/x\nbenchmark.load = netcat\nbenchmark.load.address = 192.0.2.1:4141\na1.x = y\n");
        e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(remote));
        assertTrue(e.getMessage().contains("loopback addresses only"), e.getMessage());

        Path badNumber = write("n.properties", "benchmark.counter = C/x\nbenchmark.load = netcat\nbenchmark.load.address = 127.0.0.1:1\n"
                + "benchmark.load.connections = 0\na1.x = y\n");
        e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(badNumber));
        assertTrue(e.getMessage().contains("benchmark.load.connections = 0 is not a positive number"), e.getMessage());
    }

    @Test
    void hdfsUriIsTheClustersAndMarksTheScenarioAsNeedingIt() throws IOException {
        Scenario scenario = Scenario.load(write("h.properties", """
                benchmark.counter = SINK.k1/EventDrainSuccessCount
                benchmark.output = ${hdfs.uri}${run.dir}/hdfs
                benchmark.output.bytes.per.event = 500
                a1.sinks.k1.hdfs.path = ${hdfs.uri}${run.dir}/hdfs
                """));
        Scenario.Rendered r = scenario.render(Path.of("/tmp/run-2"), n -> 1, "hdfs://127.0.0.1:9000");

        assertTrue(scenario.usesHdfs());
        assertTrue(r.agentConfiguration().contains("a1.sinks.k1.hdfs.path = hdfs://127.0.0.1:9000/tmp/run-2/hdfs"),
                r.agentConfiguration());
        assertEquals(new Scenario.Output("hdfs://127.0.0.1:9000/tmp/run-2/hdfs", true, 500), r.output().orElseThrow());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> scenario.render(dir, n -> 1));
        assertTrue(e.getMessage().contains("needs the MiniDFSCluster"), e.getMessage());
    }

    @Test
    void aLocalOutputDefaultsToOneBytePerEventAndMustBeAbsolute() throws IOException {
        Scenario local = Scenario.load(write("l.properties", """
                benchmark.counter = SINK.k1/EventDrainSuccessCount
                benchmark.output = ${run.dir}/out
                a1.sinks.k1.sink.directory = ${run.dir}/out
                """));
        assertFalse(local.usesHdfs());
        assertEquals(new Scenario.Output("/tmp/run-3/out", false, 1),
                local.render(Path.of("/tmp/run-3"), n -> 1).output().orElseThrow());

        Path relative = write("r.properties", "benchmark.counter = C/x\nbenchmark.output = out\na1.x = y\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(relative));
        assertTrue(e.getMessage().contains("benchmark.output = out is neither an absolute directory"), e.getMessage());
        Path orphan = write("o.properties", "benchmark.counter = C/x\nbenchmark.output.bytes.per.event = 5\na1.x = y\n");
        e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(orphan));
        assertTrue(e.getMessage().contains("benchmark.output.bytes.per.event needs benchmark.output"), e.getMessage());
    }

    @Test
    void aSpoolDirLoadNamesTheDirectoryAndItsFiles() throws IOException {
        Scenario scenario = Scenario.load(write("s.properties", """
                benchmark.counter = SINK.k1/EventDrainSuccessCount
                benchmark.load = spooldir
                benchmark.load.directory = ${run.dir}/spool
                benchmark.load.lines.per.file = 200
                a1.sources.r1.spoolDir = ${run.dir}/spool
                """));
        Scenario.SpoolDirLoad load = (Scenario.SpoolDirLoad) scenario.render(Path.of("/tmp/run-4"), n -> 1).load().orElseThrow();

        assertEquals(new Scenario.SpoolDirLoad(Path.of("/tmp/run-4/spool"), 8, 200, 500, ".COMPLETED"), load);
        Path noDirectory = write("n.properties", "benchmark.counter = C/x\nbenchmark.load = spooldir\na1.x = y\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(noDirectory));
        assertTrue(e.getMessage().contains("benchmark.load.directory is required"), e.getMessage());
    }

    @Test
    void shippedScenariosLoad() throws IOException {
        // Surefire runs in the module's directory, where run.sh's scenarios are.
        try (Stream<Path> files = Files.list(Path.of("scenarios"))) {
            List<Path> scenarios = files.filter(p -> p.toString().endsWith(".properties")).toList();
            assertTrue(scenarios.size() >= 2, scenarios.toString());
            for (Path file : scenarios) {
                Scenario.Rendered r = Scenario.load(file).render(dir, name -> 4141, "hdfs://127.0.0.1:8020",
                        "127.0.0.1:9092", "shipped");
                assertTrue(r.agentConfiguration().contains("a1.sources"), file.toString());
            }
        }
    }
}
