package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

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
import org.sluice.itests.osgi.support.AvroClient;
import org.sluice.itests.osgi.support.FileRollOutput;
import org.sluice.itests.osgi.support.NetcatFeeder;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.StateBatches;
import org.sluice.itests.osgi.support.UserGuideExample;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;

/**
 * The User Guide's Multiplexing Channel Selector example, run as a file through the bridge: on the header
 * {@code state}, CZ goes to c1, US to c2 and c3, anything else (and no header) to the default c4. One file_roll
 * sink per channel shows where each event went.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UserGuideMultiplexingSelectorIT {

    private static final String PORT = "sluice.itests.ug.port";
    private static final String WORK = "sluice.itests.ug.work";
    private static final int PER_STATE = 20;
    /** The values of state sent, in this order; null: no state header. */
    private static final String[] STATES = {"CZ", "US", "DE", null};

    @Inject
    private AgentRuntime runtime;

    @Configuration
    public Option[] configuration() throws Exception {
        Path work = WorkDirs.create("ug-multiplexing");
        int port = NetcatFeeder.freePort();
        UserGuideExample example = UserGuideExample.load("selector-multiplexing.properties")
                .set("a1.sources.r1.port", Integer.toString(port), "41414 may be taken on a test machine");
        for (String sink : List.of("k1", "k2", "k3", "k4")) {
            example.set("a1.sinks." + sink + ".sink.directory", Files.createDirectory(work.resolve(sink)).toString(),
                    "a directory of the test's own instead of /var/log/flume");
        }
        Path file = example.writeTo(work);
        return options(SluiceOptions.kernel(),
                SluiceOptions.plugins("source:avro", "channel_selector:multiplexing", "channel:memory",
                        "sink:file_roll"),
                AvroClient.bundles(),
                SluiceOptions.agentFromFile(file, "a1", work.resolve("data")),
                systemProperty(PORT).value(Integer.toString(port)),
                systemProperty(WORK).value(work.toString()));
    }

    @Test
    public void eachEventGoesToTheChannelsOfItsStateOrToTheDefault() throws Exception {
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        for (String sink : List.of("k1", "k2", "k3", "k4")) {
            a1.await(ComponentKind.SINK, sink, ComponentState.RUNNING);
        }
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);

        try (AvroClient client = AvroClient.connect(Integer.getInteger(PORT))) {
            StateBatches.send(client, "state", STATES, PER_STATE);
        }

        Map<String, List<String>> expected = Map.of("k1", List.of("CZ"), "k2", List.of("US"), "k3", List.of("US"),
                "k4", List.of("DE", "none"));
        Path work = Paths.get(System.getProperty(WORK));
        // One sink per channel, taking in order; the events each sink must write were sent last to its channel,
        // so once they are all written a stray event sent to the wrong channel before them would be too.
        for (Map.Entry<String, List<String>> sink : expected.entrySet()) {
            FileRollOutput output = new FileRollOutput(work.resolve(sink.getKey()));
            TreeSet<String> bodies = StateBatches.bodies(sink.getValue(), PER_STATE);
            Await.until(sink.getKey() + " to write " + bodies, () -> new TreeSet<>(output.lines()),
                    written -> written.containsAll(bodies));
            assertEquals("what " + sink.getKey() + " wrote", bodies, new TreeSet<>(output.lines()));
            assertEquals(sink.getKey() + " wrote each event once", bodies.size(), output.lines().size());
        }
    }
}
