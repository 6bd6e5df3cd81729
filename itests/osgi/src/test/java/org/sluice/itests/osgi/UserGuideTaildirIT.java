package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.sluice.api.component.ComponentKind;
import org.sluice.itests.osgi.support.AgentStatuses;
import org.sluice.itests.osgi.support.Await;
import org.sluice.itests.osgi.support.FileRollOutput;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.UserGuideExample;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;

/**
 * The User Guide's Taildir Source example, run as a file through the bridge with the TAILDIR bundle in Felix: the
 * lines of f1's file carry headerKey1=value1, those of f2's files headerKey1=value2 and headerKey2=value2-2, all
 * carry the file's path (fileHeader), and f2's pattern {@code .*log.*} also matches rotated names, where a renamed
 * file is still read once and only once.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UserGuideTaildirIT {

    private static final String WORK = "sluice.itests.ug.work";

    @Inject
    private AgentRuntime runtime;

    @Configuration
    public Option[] configuration() throws Exception {
        Path work = WorkDirs.create("ug-taildir");
        Files.createDirectories(work.resolve("test1"));
        Files.createDirectories(work.resolve("test2"));
        Path file = UserGuideExample.load("source-taildir.properties")
                .set("a1.sources.r1.positionFile", work.resolve("flume/taildir_position.json").toString(),
                        "a directory of the test's own instead of /var/log/flume")
                .set("a1.sources.r1.filegroups.f1", work.resolve("test1/example.log").toString(),
                        "the test's directories instead of /var/log/test1 and /var/log/test2")
                .set("a1.sources.r1.filegroups.f2", work.resolve("test2").toString() + "/.*log.*",
                        "the test's directories instead of /var/log/test1 and /var/log/test2")
                .set("a1.sinks.k1.sink.directory", Files.createDirectory(work.resolve("k1")).toString(),
                        "a directory of the test's own instead of /var/log/flume")
                .writeTo(work);
        return options(SluiceOptions.kernel(),
                SluiceOptions.plugins("source:TAILDIR", "channel_selector:replicating", "channel:memory", "sink:file_roll"),
                SluiceOptions.agentFromFile(file, "a1", work.resolve("data")),
                systemProperty(WORK).value(work.toString()));
    }

    @Test
    public void everyLineOnceWithItsGroupsHeadersThroughARotation() throws Exception {
        Path work = Paths.get(System.getProperty(WORK));
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);

        Path example = work.resolve("test1/example.log");
        Path app = work.resolve("test2/app.log");
        append(example, 0, 50);
        append(app, 1000, 1100);
        FileRollOutput output = new FileRollOutput(work.resolve("k1"));
        Await.until("the first lines", output::lines, lines -> lines.size() == 150);
        Files.move(app, work.resolve("test2/app.log.1"));
        append(work.resolve("test2/app.log.1"), 1100, 1120); // the writer, before it reopens
        append(app, 1120, 1200);
        append(example, 50, 100);

        Await.until("every line", output::lines, lines -> lines.size() >= 300);
        List<String> lines = output.lines();
        assertEquals("each line once: " + lines, 300, lines.size());
        for (String line : lines) {
            int number = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
            if (number < 1000) {
                assertTrue(line, line.contains("headerKey1=value1") && line.contains("file=" + example));
            } else {
                assertTrue(line, line.contains("headerKey1=value2") && line.contains("headerKey2=value2-2")
                        && line.contains("file=" + work.resolve("test2")));
            }
        }
        assertEquals(300, lines.stream().map(l -> l.substring(l.lastIndexOf(' ') + 1)).distinct().count());
    }

    private static void append(Path file, int from, int to) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            text.append(i).append('\n');
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
