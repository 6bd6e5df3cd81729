package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.component.ComponentKind;
import org.sluice.itests.osgi.support.AgentConfigurations;
import org.sluice.itests.osgi.support.AgentStatuses;
import org.sluice.itests.osgi.support.Bundles;
import org.sluice.itests.osgi.support.FileRollOutput;
import org.sluice.itests.osgi.support.PluginCatalog;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

/** A component whose type no bundle provides yet waits, says why, and starts when the bundle arrives. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class LateProviderIT {

    private static final long EVENTS = 200;

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return options(SluiceOptions.kernel(), SluiceOptions.plugins("source:seq", "channel_selector:replicating",
                "channel:memory"));
    }

    @Test
    public void aSinkWaitsForItsTypeAndRunsWhenItsBundleIsInstalled() throws Exception {
        Path directory = WorkDirs.create("late-provider");
        AgentConfigurations.agent(admin, "a1")
                .channel("c1", Map.of("type", "memory", "capacity", "1000"))
                .sink("k1", Map.of("type", "file_roll", "channel", "c1", "sink.directory", directory.toString(),
                        "sink.rollInterval", "0"))
                .source("r1", Map.of("type", "seq", "channels", "c1", "totalEvents", Long.toString(EVENTS)));
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);

        ComponentStatus waiting = a1.awaitNotStarted(ComponentKind.SINK, "k1");
        assertEquals(waiting.toString(), ComponentState.WAITING, waiting.state());
        assertContains(waiting.reason(), "'file_roll'");

        Bundle fileRoll = Bundles.deploy(context, PluginCatalog.load().bundleFor(ComponentKind.SINK, "file_roll"));
        ComponentStatus running = a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
        assertEquals(running.toString(), fileRoll.getSymbolicName(), running.providerBundle());
        new FileRollOutput(directory).awaitAll(0, EVENTS);
    }
}
