package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.component.ComponentKind;
import org.sluice.itests.osgi.support.AgentConfigurations;
import org.sluice.itests.osgi.support.AgentStatuses;
import org.sluice.itests.osgi.support.Await;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;

/**
 * The hdfs sink bundle, with Hadoop's client embedded, runs in Felix: seq -> memory -> hdfs on a file:// path.
 * It proves what only a framework shows: Hadoop finds its FileSystem implementations, default resources and
 * login module through the bundle's class loader, and the bundle resolves with nothing but the kernel.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HdfsSinkIT {

    private static final long EVENTS = 300;

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Configuration
    public Option[] configuration() {
        return options(SluiceOptions.kernel(), SluiceOptions.plugins("source:seq", "channel_selector:replicating",
                "channel:memory", "sink:hdfs"));
    }

    @Test
    public void seqThroughMemoryIntoHdfsOnTheLocalFileSystem() {
        Path output = WorkDirs.create("hdfs-sink");
        AgentConfigurations.agent(admin, "a1")
                .channel("c1", Map.of("type", "memory", "capacity", "1000"))
                .sink("k1", Map.of("type", "hdfs", "channel", "c1", "hdfs.path", output.toUri().toString(),
                        "hdfs.fileType", "DataStream", "hdfs.rollCount", "100", "hdfs.rollSize", "0",
                        "hdfs.batchSize", "50"))
                .source("r1", Map.of("type", "seq", "channels", "c1", "totalEvents", Long.toString(EVENTS)));

        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);

        Set<Long> written = Await.until("hdfs sink output in " + output + " to hold every number in [0, " + EVENTS
                + ")", () -> numbers(output), numbers -> numbers.size() == EVENTS);
        assertEquals(EVENTS - 1, (long) ((TreeSet<Long>) written).last());
        // rollCount 100: the first three files are complete and renamed (no in-use suffix).
        Await.until("three files rolled and renamed in " + output, () -> finalFiles(output), count -> count == 3);
    }

    /** Every number in the sink's files, in-use ones included (what a committed batch wrote is there). */
    private static Set<Long> numbers(Path directory) {
        Set<Long> numbers = new TreeSet<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                if (file.getFileName().toString().startsWith(".")) {
                    continue; // Hadoop's local checksum files
                }
                String content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                int end = content.lastIndexOf('\n');
                if (end >= 0) {
                    for (String line : content.substring(0, end).split("\n", -1)) {
                        numbers.add(Long.parseLong(line.trim()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return numbers;
    }

    private static long finalFiles(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.matches("FlumeData\\.\\d+")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
