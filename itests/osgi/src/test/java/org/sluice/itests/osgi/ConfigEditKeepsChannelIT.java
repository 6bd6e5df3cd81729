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
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.component.ComponentKind;
import org.sluice.itests.osgi.support.AgentConfigurations;
import org.sluice.itests.osgi.support.AgentStatuses;
import org.sluice.itests.osgi.support.Await;
import org.sluice.itests.osgi.support.Bundles;
import org.sluice.itests.osgi.support.FileRollOutput;
import org.sluice.itests.osgi.support.FlumeCounters;
import org.sluice.itests.osgi.support.NetcatFeeder;
import org.sluice.itests.osgi.support.PluginCatalog;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;

/**
 * Editing one component leaves the others running: a memory channel holding events (its sink has no provider
 * yet) is not restarted when its source's configuration changes and a new component is added, and every event
 * it held is delivered once a sink appears. Flume itself restarts every component on any edit.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ConfigEditKeepsChannelIT {

    private static final long BEFORE_EDIT = 300;
    private static final long AFTER_EDIT = 100;
    /** Flume's channel counters, as monitoring reads them. */
    private static final String CHANNEL_SIZE = "ChannelSize";
    private static final String START_TIME = "StartTime";

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Inject
    private BundleContext context;

    /** No file_roll bundle: the sink waits and the channel keeps what it gets. */
    @Configuration
    public Option[] configuration() {
        return options(SluiceOptions.kernel(), SluiceOptions.plugins("source:netcat", "channel_selector:replicating",
                "channel:memory"));
    }

    @Test
    public void anEditElsewhereLeavesTheChannelAndItsEventsInPlace() throws Exception {
        int port = NetcatFeeder.freePort();
        Path directory = WorkDirs.create("config-edit");
        AgentConfigurations a1Config = AgentConfigurations.agent(admin, "a1")
                .channel("c1", Map.of("type", "memory", "capacity", "1000"))
                .sink("k1", Map.of("type", "file_roll", "channel", "c1", "sink.directory", directory.toString(),
                        "sink.rollInterval", "0"))
                .source("r1", netcat(port));
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);
        a1.awaitNotStarted(ComponentKind.SINK, "k1");

        NetcatFeeder.start(port, 0).finishAt(BEFORE_EDIT);
        assertEquals(BEFORE_EDIT, FlumeCounters.channel("c1", CHANNEL_SIZE));
        long channelStarted = FlumeCounters.channel("c1", START_TIME);

        // Edit the source (another port) and add a second channel: c1 is untouched by both.
        int newPort = NetcatFeeder.freePort();
        a1Config.source("r1", netcat(newPort))
                .channel("c2", Map.of("type", "memory"));
        a1.await(ComponentKind.CHANNEL, "c2", ComponentState.RUNNING);
        Await.until("r1 to listen on its new port " + newPort, () -> a1.of(ComponentKind.SOURCE, "r1"),
                status -> status.isPresent() && status.get().state() == ComponentState.RUNNING);
        NetcatFeeder.start(newPort, BEFORE_EDIT).finishAt(BEFORE_EDIT + AFTER_EDIT);

        assertEquals("c1 was restarted by an edit of other components", channelStarted,
                FlumeCounters.channel("c1", START_TIME));
        assertEquals(BEFORE_EDIT + AFTER_EDIT, FlumeCounters.channel("c1", CHANNEL_SIZE));

        // A sink provider appears: everything c1 held, from before and after the edit, is delivered.
        Bundles.deploy(context, PluginCatalog.load().bundleFor(ComponentKind.SINK, "file_roll"));
        a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
        new FileRollOutput(directory).awaitAll(0, BEFORE_EDIT + AFTER_EDIT);
    }

    private static Map<String, String> netcat(int port) {
        return Map.of("type", "netcat", "bind", "127.0.0.1", "port", Integer.toString(port), "channels", "c1");
    }
}
