package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import org.sluice.itests.osgi.support.AvroClient;
import org.sluice.itests.osgi.support.FileRollOutput;
import org.sluice.itests.osgi.support.FlumeCounters;
import org.sluice.itests.osgi.support.NetcatFeeder;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.UserGuideExample;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;

/**
 * The User Guide's Replicating Channel Selector example, run as a file through the bridge: r1 replicates to c1, c2
 * and c3, c3 optional. "Failure to write to c3 is simply ignored": c3 fills up after two batches (the file gives it
 * room for 100 events and no sink), and every batch after that is still accepted and reaches both c1 and c2.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UserGuideReplicatingSelectorIT {

    private static final String PORT = "sluice.itests.ug.port";
    private static final String WORK = "sluice.itests.ug.work";
    private static final int BATCHES = 10;
    private static final int BATCH = 50;

    @Inject
    private AgentRuntime runtime;

    @Configuration
    public Option[] configuration() throws Exception {
        Path work = WorkDirs.create("ug-replicating");
        int port = NetcatFeeder.freePort();
        Path file = UserGuideExample.load("selector-replicating.properties")
                .set("a1.sources.r1.port", Integer.toString(port), "41414 may be taken on a test machine")
                .set("a1.sinks.k1.sink.directory", Files.createDirectory(work.resolve("k1")).toString(),
                        "a directory of the test's own instead of /var/log/flume")
                .set("a1.sinks.k2.sink.directory", Files.createDirectory(work.resolve("k2")).toString(),
                        "a directory of the test's own instead of /var/log/flume")
                .writeTo(work);
        return options(SluiceOptions.kernel(),
                SluiceOptions.plugins("source:avro", "channel_selector:replicating", "channel:memory",
                        "sink:file_roll"),
                AvroClient.bundles(),
                SluiceOptions.agentFromFile(file, "a1", work.resolve("data")),
                systemProperty(PORT).value(Integer.toString(port)),
                systemProperty(WORK).value(work.toString()));
    }

    @Test
    public void everyEventReachesEveryRequiredChannelAndAFullOptionalChannelFailsNoPut() throws Exception {
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
        a1.await(ComponentKind.SINK, "k2", ComponentState.RUNNING);
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);

        try (AvroClient client = AvroClient.connect(Integer.getInteger(PORT))) {
            for (int batch = 0; batch < BATCHES; batch++) {
                List<String> bodies = new ArrayList<>();
                for (int i = batch * BATCH; i < (batch + 1) * BATCH; i++) {
                    bodies.add(Integer.toString(i));
                }
                assertEquals("batch " + batch + " accepted although the optional c3 "
                        + (batch < 2 ? "has room" : "is full"), "OK", client.appendBatch(bodies, Map.of()));
            }
        }

        Path work = Paths.get(System.getProperty(WORK));
        for (String sink : List.of("k1", "k2")) {
            FileRollOutput output = new FileRollOutput(work.resolve(sink));
            output.awaitAll(0, BATCHES * BATCH);
            assertEquals(sink + " wrote each event once", BATCHES * BATCH, output.lines().size());
        }
        // c3 took the first two batches and refused the rest, without failing them.
        assertEquals(2L * BATCH, FlumeCounters.channel("c3", "EventPutSuccessCount"));
        assertEquals(2L * BATCH, FlumeCounters.channel("c3", "ChannelSize"));
    }
}
