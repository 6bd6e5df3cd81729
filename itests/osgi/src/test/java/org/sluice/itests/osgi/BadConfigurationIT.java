package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.sluice.itests.osgi.support.TextAssertions.assertContains;

import java.nio.file.Path;
import java.util.Map;

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
import org.sluice.itests.osgi.support.FileRollOutput;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

/**
 * Bad components are reported by agent, component and key, and the rest of the agent runs: an unknown sink type and
 * a sequence source whose totalEvents is not a number, beside a good pipeline; a memory channel whose capacity is not
 * a number runs with the default capacity, as Flume's does.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class BadConfigurationIT {

    private static final long EVENTS = 200;

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Configuration
    public Option[] configuration() {
        return options(SluiceOptions.kernel(), SluiceOptions.plugins("source:seq", "channel_selector:replicating",
                "channel:memory", "sink:file_roll"));
    }

    @Test
    public void badComponentsAreReportedByKeyAndTheRestOfTheAgentRuns() {
        Path directory = WorkDirs.create("bad-config");
        AgentConfigurations.agent(admin, "a1")
                .channel("c1", Map.of("type", "memory", "capacity", "1000"))
                .channel("c2", Map.of("type", "memory", "capacity", "lots"))
                .sink("k1", Map.of("type", "file_roll", "channel", "c1", "sink.directory", directory.toString(),
                        "sink.rollInterval", "0"))
                .sink("k2", Map.of("type", "no_such_sink", "channel", "c2"))
                .source("r1", Map.of("type", "seq", "channels", "c1", "totalEvents", Long.toString(EVENTS)))
                .source("r2", Map.of("type", "seq", "channels", "c2", "totalEvents", "lots"));
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");

        ComponentStatus total = a1.awaitNotStarted(ComponentKind.SOURCE, "r2");
        assertContains(total.reason(), "'a1'");
        assertContains(total.reason(), "'r2'");
        assertContains(total.reason(), "'totalEvents'");
        a1.await(ComponentKind.CHANNEL, "c2", ComponentState.RUNNING);

        ComponentStatus unknownType = a1.awaitNotStarted(ComponentKind.SINK, "k2");
        assertEquals(unknownType.toString(), "a1", unknownType.agent());
        assertTrue("state " + unknownType.state(), unknownType.state() == ComponentState.WAITING
                || unknownType.state() == ComponentState.FAILED);
        assertContains(unknownType.reason(), "'no_such_sink'");
        assertContains(unknownType.reason(), "'type'");

        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);
        a1.await(ComponentKind.CHANNEL, "c1", ComponentState.RUNNING);
        a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
        new FileRollOutput(directory).awaitAll(0, EVENTS);
    }
}
