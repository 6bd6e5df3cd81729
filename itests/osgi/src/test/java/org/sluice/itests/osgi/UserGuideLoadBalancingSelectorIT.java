package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import org.sluice.itests.osgi.support.UserGuideExample;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;

/**
 * The User Guide's Load Balancing Channel Selector example (Flume 1.10+), run as a file through the bridge: r1
 * sends each event to the next of c1 to c4 in turn (round_robin), so each channel's sink writes a quarter of the
 * events, and every event is written exactly once.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UserGuideLoadBalancingSelectorIT {

    private static final String PORT = "sluice.itests.ug.port";
    private static final String WORK = "sluice.itests.ug.work";
    private static final List<String> SINKS = List.of("k1", "k2", "k3", "k4");
    private static final int BATCHES = 10;
    private static final int BATCH = 40;

    @Inject
    private AgentRuntime runtime;

    @Configuration
    public Option[] configuration() throws Exception {
        Path work = WorkDirs.create("ug-load-balancing");
        int port = NetcatFeeder.freePort();
        UserGuideExample example = UserGuideExample.load("selector-load-balancing.properties")
                .set("a1.sources.r1.port", Integer.toString(port), "41414 may be taken on a test machine");
        for (String sink : SINKS) {
            example.set("a1.sinks." + sink + ".sink.directory", Files.createDirectory(work.resolve(sink)).toString(),
                    "a directory of the test's own instead of /var/log/flume");
        }
        Path file = example.writeTo(work);
        return options(SluiceOptions.kernel(),
                SluiceOptions.plugins("source:avro", "channel_selector:load_balancing", "channel:memory",
                        "sink:file_roll"),
                AvroClient.bundles(),
                frameworkProperty("sluice.conf.file").value(file.toString()),
                frameworkProperty("sluice.agent.name").value("a1"),
                frameworkProperty("sluice.data").value(work.resolve("data").toString()),
                systemProperty(PORT).value(Integer.toString(port)),
                systemProperty(WORK).value(work.toString()));
    }

    @Test
    public void eachChannelGetsEveryFourthEventAndEveryEventIsWrittenOnce() throws Exception {
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        for (String sink : SINKS) {
            a1.await(ComponentKind.SINK, sink, ComponentState.RUNNING);
        }
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);

        try (AvroClient client = AvroClient.connect(Integer.getInteger(PORT))) {
            for (int batch = 0; batch < BATCHES; batch++) {
                List<String> bodies = new ArrayList<>();
                for (int i = batch * BATCH; i < (batch + 1) * BATCH; i++) {
                    bodies.add(Integer.toString(i));
                }
                assertEquals("OK", client.appendBatch(bodies, Map.of()));
            }
        }

        Path work = Paths.get(System.getProperty(WORK));
        Set<String> all = new HashSet<>();
        for (int s = 0; s < SINKS.size(); s++) {
            FileRollOutput output = new FileRollOutput(work.resolve(SINKS.get(s)));
            List<String> lines = Await.until(SINKS.get(s) + " to write a quarter of the events", output::lines,
                    written -> written.size() >= BATCHES * BATCH / SINKS.size());
            assertEquals(SINKS.get(s) + " wrote a quarter of the events", BATCHES * BATCH / SINKS.size(),
                    lines.size());
            for (String line : lines) {
                assertEquals(SINKS.get(s) + " got event " + line + " out of turn", s,
                        Integer.parseInt(line) % SINKS.size());
            }
            all.addAll(lines);
        }
        assertEquals(BATCHES * BATCH, all.size());
    }
}
