package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.component.ComponentKind;
import org.sluice.itests.osgi.support.AgentStatuses;
import org.sluice.itests.osgi.support.FileRollOutput;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.itests.osgi.support.AgentConfigurations;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;

/**
 * A Flume properties file named by the framework properties {@code sluice.conf.file} and
 * {@code sluice.agent.name} (what {@code bin/sluice agent -f -n} sets) becomes Config Admin configurations and a
 * running graph.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class PropertiesFileBridgeIT {

    private static final String OUTPUT_PROPERTY = "sluice.itests.bridge.output";
    private static final long EVENTS = 300;

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @org.ops4j.pax.exam.Configuration
    public Option[] configuration() throws IOException {
        Path work = WorkDirs.create("bridge");
        Path output = Files.createDirectory(work.resolve("out"));
        Path file = work.resolve("flume.properties");
        Files.write(file, String.join("\n",
                "# The agent under test, and a second agent in the same file that must be ignored",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.totalEvents = " + EVENTS,
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacity = 1000",
                "a1.sinks.k1.type = file_roll",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.sink.directory = " + output,
                "a1.sinks.k1.sink.rollInterval = 0",
                "other.sources = s9",
                "other.channels = c9",
                "other.sources.s9.type = seq",
                "other.sources.s9.channels = c9",
                "other.channels.c9.type = memory",
                "").getBytes(StandardCharsets.UTF_8));
        return options(SluiceOptions.kernel(),
                SluiceOptions.plugins("source:seq", "channel_selector:replicating",
                "channel:memory", "sink:file_roll"),
                frameworkProperty("sluice.conf.file").value(file.toString()),
                frameworkProperty("sluice.agent.name").value("a1"),
                systemProperty(OUTPUT_PROPERTY).value(output.toString()));
    }

    @Test
    public void theNamedAgentOfThePropertiesFileRunsAndDeliversEveryEvent() throws Exception {
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);
        a1.await(ComponentKind.CHANNEL, "c1", ComponentState.RUNNING);
        a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);

        new FileRollOutput(Paths.get(System.getProperty(OUTPUT_PROPERTY))).awaitAll(0, EVENTS);

        Configuration[] sink = admin.listConfigurations("(&(service.factoryPid="
                + AgentConfigurations.factoryPid(ComponentKind.SINK) + ")(" + AgentConfigurations.AGENT + "=a1)("
                + AgentConfigurations.COMPONENT + "=k1))");
        assertNotNull("the bridge wrote no Config Admin configuration for a1.sinks.k1", sink);
        assertEquals("c1", sink[0].getProperties().get("channel"));
        assertFalse("only the agent named by sluice.agent.name runs: " + runtime.agents(),
                runtime.agents().contains("other"));
    }
}
