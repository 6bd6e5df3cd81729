package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.options;

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

/** An agent written as Config Admin factory configurations becomes a running graph that delivers events. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ConfigAdminGraphIT {

    private static final long EVENTS = 500;

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return options(SluiceOptions.kernel(), SluiceOptions.plugins("source:seq", "channel_selector:replicating",
                "channel:memory", "sink:file_roll"));
    }

    @Test
    public void componentConfigurationsBecomeARunningGraphThatDeliversEveryEvent() {
        Path output = WorkDirs.create("file-roll");
        AgentConfigurations.agent(admin, "a1")
                .channel("c1", Map.of("type", "memory", "capacity", "1000"))
                .sink("k1", Map.of("type", "file_roll", "channel", "c1", "sink.directory", output.toString(),
                        "sink.rollInterval", "0"))
                .source("r1", Map.of("type", "seq", "channels", "c1", "totalEvents", Long.toString(EVENTS)));

        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        PluginCatalog plugins = PluginCatalog.load();
        assertRunningFrom(a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING), "seq",
                plugins.bundleFor(ComponentKind.SOURCE, "seq").symbolicName());
        assertRunningFrom(a1.await(ComponentKind.CHANNEL, "c1", ComponentState.RUNNING), "memory",
                plugins.bundleFor(ComponentKind.CHANNEL, "memory").symbolicName());
        assertRunningFrom(a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING), "file_roll",
                plugins.bundleFor(ComponentKind.SINK, "file_roll").symbolicName());

        new FileRollOutput(output).awaitAll(0, EVENTS);
    }

    private void assertRunningFrom(ComponentStatus status, String type, String symbolicName) {
        Bundle provider = Bundles.installed(context, symbolicName);
        assertEquals(status.toString(), type, status.type());
        assertEquals(status.toString(), symbolicName, status.providerBundle());
        assertEquals(status.toString(), provider.getVersion().toString(), status.providerVersion());
    }
}
