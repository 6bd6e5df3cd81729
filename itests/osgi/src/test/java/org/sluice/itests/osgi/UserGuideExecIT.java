package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
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
 * The User Guide's Exec Source example ({@code tail -F} of a log file), run as a file through the bridge with the
 * exec bundle in Felix: each line appended to the file becomes an event, and when the bundle stops, so does the
 * source, and no {@code tail} process is left behind.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UserGuideExecIT {

    private static final String WORK = "sluice.itests.ug.work";

    @Inject
    private AgentRuntime runtime;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() throws Exception {
        Path work = WorkDirs.create("ug-exec");
        Path secure = Files.createFile(work.resolve("secure"));
        Path file = UserGuideExample.load("source-exec.properties")
                .set("a1.sources.r1.command", "tail -F " + secure,
                        "/var/log/secure is not there (or not readable) on a test machine")
                .set("a1.sinks.k1.sink.directory", Files.createDirectory(work.resolve("k1")).toString(),
                        "a directory of the test's own instead of /var/log/flume")
                .writeTo(work);
        return options(SluiceOptions.kernel(),
                SluiceOptions.plugins("source:exec", "channel_selector:replicating", "channel:memory", "sink:file_roll"),
                SluiceOptions.agentFromFile(file, "a1", work.resolve("data")),
                systemProperty(WORK).value(work.toString()));
    }

    @Test
    public void eachLineTailedIsAnEventAndNoTailOutlivesTheSource() throws Exception {
        Path work = Paths.get(System.getProperty(WORK));
        Path secure = work.resolve("secure");
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);
        Await.until("tail -F to run", () -> tails(secure), tails -> !tails.isEmpty());

        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            text.append(i).append('\n');
        }
        Files.writeString(secure, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        FileRollOutput output = new FileRollOutput(work.resolve("k1"));
        output.awaitAll(0, 200);
        assertEquals(200, output.lines().size());

        Bundle exec = null;
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getSymbolicName().equals("org.sluice.source.exec")) {
                exec = bundle;
            }
        }
        exec.stop();
        a1.awaitNotStarted(ComponentKind.SOURCE, "r1");
        Await.until("no tail -F of the test's file to be left", () -> tails(secure), List::isEmpty);
    }

    /** The processes running tail on {@code file}. */
    private static List<Long> tails(Path file) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("tail") && c.contains(file.toString()))
                        .orElse(false))
                .map(ProcessHandle::pid).collect(Collectors.toList());
    }
}
