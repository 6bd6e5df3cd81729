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
import org.sluice.itests.osgi.support.Await;
import org.sluice.itests.osgi.support.Bundles;
import org.sluice.itests.osgi.support.FileRollOutput;
import org.sluice.itests.osgi.support.NetcatFeeder;
import org.sluice.itests.osgi.support.PluginCatalog;
import org.sluice.itests.osgi.support.PluginCatalog.PluginBundle;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

/**
 * Plugin bundles stopped, started, updated, uninstalled and installed again while a client keeps sending:
 * netcat -> memory -> file_roll. Every line the source acknowledged must reach the sink at least once
 * (duplicates are what Flume allows after a rolled-back take), across every change.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HotDeployIT {

    /** Events that must be acknowledged between two steps, so each step happens while events flow. */
    private static final long PROGRESS = 200;

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return options(SluiceOptions.kernel(),
                SluiceOptions.plugins("source:netcat", "channel_selector:replicating", "channel:memory",
                        "sink:file_roll"));
    }

    @Test
    public void pluginBundlesComeAndGoWhileEventsFlowAndNoAcknowledgedEventIsLost() throws Exception {
        int port = NetcatFeeder.freePort();
        Path directory = WorkDirs.create("hot-deploy");
        AgentConfigurations.agent(admin, "a1")
                // Room for what the feeder sends while the sink is away: a full channel would stall the steps.
                .channel("c1", Map.of("type", "memory", "capacity", "100000", "transactionCapacity", "100"))
                .sink("k1", Map.of("type", "file_roll", "channel", "c1", "sink.directory", directory.toString(),
                        "sink.rollInterval", "0"))
                .source("r1", Map.of("type", "netcat", "bind", "127.0.0.1", "port", Integer.toString(port),
                        "channels", "c1"));
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);

        PluginCatalog plugins = PluginCatalog.load();
        PluginBundle sinkPlugin = plugins.bundleFor(ComponentKind.SINK, "file_roll");
        Bundle source = Bundles.installed(context, plugins.bundleFor(ComponentKind.SOURCE, "netcat").symbolicName());
        Bundle channel = Bundles.installed(context, plugins.bundleFor(ComponentKind.CHANNEL, "memory").symbolicName());
        Bundle sink = Bundles.installed(context, sinkPlugin.symbolicName());
        FileRollOutput output = new FileRollOutput(directory);

        NetcatFeeder feeder = NetcatFeeder.start(port);
        try {
            awaitProgress(feeder);
            output.awaitAll(0, feeder.acknowledgedUpTo());

            // The sink's bundle stops: the sink waits, naming its type; events pile up in the channel.
            sink.stop();
            ComponentStatus waiting = a1.awaitNotStarted(ComponentKind.SINK, "k1");
            assertEquals(waiting.toString(), ComponentState.WAITING, waiting.state());
            assertContains(waiting.reason(), "file_roll");
            int writtenWhileStopped = output.lines().size();
            awaitProgress(feeder);
            assertEquals("file_roll wrote while its bundle was stopped", writtenWhileStopped, output.lines().size());

            // It starts again and takes what piled up.
            sink.start();
            a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
            output.awaitAll(0, feeder.acknowledgedUpTo());

            // The source's bundle is updated: the source restarts on the new revision and the client reconnects.
            source.update();
            a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);
            awaitProgress(feeder);
            output.awaitAll(0, feeder.acknowledgedUpTo());

            // The channel's bundle is updated while it holds events nobody has taken (the sink is stopped):
            // the runtime hands them to the new channel instance.
            sink.stop();
            a1.awaitNotStarted(ComponentKind.SINK, "k1");
            awaitProgress(feeder);
            long acknowledgedBeforeChannelUpdate = feeder.acknowledgedUpTo();
            channel.update();
            a1.await(ComponentKind.CHANNEL, "c1", ComponentState.RUNNING);
            sink.start();
            a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
            output.awaitAll(0, acknowledgedBeforeChannelUpdate);
            awaitProgress(feeder);

            // The sink's bundle is removed (a jar taken out of deploy/) and installed again.
            sink.uninstall();
            a1.awaitNotStarted(ComponentKind.SINK, "k1");
            awaitProgress(feeder);
            sink = Bundles.deploy(context, sinkPlugin);
            ComponentStatus resumed = a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
            assertEquals(resumed.toString(), sink.getVersion().toString(), resumed.providerVersion());
            awaitProgress(feeder);
        } finally {
            feeder.close();
        }
        output.awaitAll(0, feeder.acknowledgedUpTo());
    }

    /** Waits until the source acknowledged {@link #PROGRESS} more lines. */
    private static void awaitProgress(NetcatFeeder feeder) {
        long target = feeder.acknowledged() + PROGRESS;
        Await.until(PROGRESS + " more lines acknowledged by the netcat source (refusals so far: " + feeder.refusals()
                + ")", feeder::acknowledged, acknowledged -> acknowledged >= target);
    }
}
