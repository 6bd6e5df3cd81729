package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
import org.sluice.itests.osgi.support.FileRollOutput;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;

/**
 * Files dropped into a spooling directory come out of file_roll line by line, with the headers of a timestamp
 * and a static interceptor and the source's basename header, and each file is renamed once it is delivered.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class SpoolDirInterceptorsIT {

    private static final int LINES_PER_FILE = 50;

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Configuration
    public Option[] configuration() {
        return options(SluiceOptions.kernel(), SluiceOptions.plugins("source:spooldir", "channel_selector:replicating",
                "interceptor:timestamp", "interceptor:static", "channel:memory", "sink:file_roll"));
    }

    @Test
    public void droppedFilesArriveLineByLineWithTheInterceptorsHeaders() throws IOException {
        Path spool = WorkDirs.create("spool");
        Path output = WorkDirs.create("file-roll");
        Map<String, String> source = new HashMap<>();
        source.put("type", "spooldir");
        source.put("channels", "c1");
        source.put("spoolDir", spool.toString());
        source.put("pollDelay", "100");
        source.put("batchSize", "20");
        source.put("basenameHeader", "true");
        source.put("interceptors", "ts dc");
        source.put("interceptors.ts.type", "timestamp");
        source.put("interceptors.dc.type", "org.apache.flume.interceptor.StaticInterceptor$Builder");
        source.put("interceptors.dc.key", "datacenter");
        source.put("interceptors.dc.value", "NEW_YORK");
        AgentConfigurations.agent(admin, "a1")
                .channel("c1", Map.of("type", "memory", "capacity", "1000"))
                .sink("k1", Map.of("type", "file_roll", "channel", "c1", "sink.directory", output.toString(),
                        "sink.rollInterval", "0", "sink.serializer", "header_and_text"))
                .source("r1", source);

        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);
        long before = System.currentTimeMillis();
        drop(spool, "a.log", "alpha");
        drop(spool, "b.log", "beta");

        FileRollOutput out = new FileRollOutput(output);
        List<String> lines = Await.until("file_roll output in " + output + " to hold both files' lines", out::lines,
                written -> written.size() >= 2 * LINES_PER_FILE);
        assertEquals(lines.toString(), 2 * LINES_PER_FILE, lines.size());

        Set<String> bodies = new TreeSet<>();
        for (String line : lines) {
            int end = line.indexOf("} ");
            assertTrue(line, line.startsWith("{") && end > 0);
            Map<String, String> headers = headers(line.substring(1, end));
            String body = line.substring(end + 2);
            bodies.add(body);
            assertEquals(line, "NEW_YORK", headers.get("datacenter"));
            assertEquals(line, body.startsWith("alpha") ? "a.log" : "b.log", headers.get("basename"));
            long stamped = Long.parseLong(headers.get("timestamp"));
            assertTrue(line, stamped >= before && stamped <= System.currentTimeMillis());
        }
        Set<String> expected = new TreeSet<>();
        expected.addAll(numbered("alpha"));
        expected.addAll(numbered("beta"));
        assertEquals(expected, bodies);

        Await.until("both files renamed with .COMPLETED", () -> listing(spool),
                names -> names.equals(List.of("a.log.COMPLETED", "b.log.COMPLETED")));
    }

    private static Map<String, String> headers(String rendered) {
        Map<String, String> headers = new HashMap<>();
        for (String pair : rendered.split(", ")) {
            int equals = pair.indexOf('=');
            headers.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return headers;
    }

    private static List<String> numbered(String word) {
        return IntStream.range(0, LINES_PER_FILE).mapToObj(i -> word + " " + i).collect(Collectors.toList());
    }

    /** As a user must: written elsewhere, then moved in complete. */
    private static void drop(Path spool, String name, String word) throws IOException {
        Path hidden = spool.resolve("." + name + ".part");
        Files.writeString(hidden, numbered(word).stream().map(l -> l + "\n").collect(Collectors.joining()),
                StandardCharsets.UTF_8);
        Files.move(hidden, spool.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<String> listing(Path spool) {
        try (Stream<Path> files = Files.list(spool)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
