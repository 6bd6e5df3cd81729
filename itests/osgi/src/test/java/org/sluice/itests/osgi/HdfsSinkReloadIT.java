package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.sluice.itests.osgi.support.TextAssertions.assertContains;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
import org.sluice.itests.osgi.support.ClassLoaderLeftovers;
import org.sluice.itests.osgi.support.FlumeCounters;
import org.sluice.itests.osgi.support.MiniHdfs;
import org.sluice.itests.osgi.support.NetcatFeeder;
import org.sluice.itests.osgi.support.PluginCatalog;
import org.sluice.itests.osgi.support.PluginCatalog.PluginBundle;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.WebHdfsTextOutput;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

/**
 * The hdfs sink bundle, which embeds Hadoop's client, updated and uninstalled while a client keeps sending
 * numbered events (netcat -> memory -> hdfs, on a MiniDFSCluster). What users rely on: every event the source
 * acknowledged reaches HDFS at least once across every change, and an old revision of the bundle leaves nothing
 * behind in the JVM (Hadoop starts threads of its own, outside the sink's control, which would keep running the
 * old code and hold its class loader, some 40 MB of Hadoop classes per update, for the life of the agent).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HdfsSinkReloadIT {

    /** Events that must be acknowledged between two steps, so each step happens while events flow. */
    private static final long PROGRESS = 300;

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Inject
    private BundleContext context;

    /** The netcat source's port, chosen by {@link #startAgent}. */
    private int port;

    @Configuration
    public Option[] configuration() throws IOException {
        MiniHdfs.start();
        return options(SluiceOptions.kernel(), SluiceOptions.plugins("source:netcat", "channel_selector:replicating",
                "channel:memory", "sink:hdfs"), MiniHdfs.addresses());
    }

    @Test
    public void twoUpdatesInARowWhileEventsFlowRestartTheSinkOnTheNewCodeLoseNothingAndLeaveNoThreads()
            throws Exception {
        String directory = "/reload/update";
        long cleanersBefore = statisticsCleaners();
        AgentStatuses a1 = startAgent(directory);
        WebHdfsTextOutput output = new WebHdfsTextOutput(MiniHdfs.webHdfs(), directory);
        Bundle sink = Bundles.installed(context, hdfsPlugin().symbolicName());

        NetcatFeeder feeder = NetcatFeeder.start(port);
        try {
            awaitProgress(feeder);
            output.awaitAll(0, feeder.acknowledgedUpTo());
            for (int update = 1; update <= 2; update++) {
                String revision = "the hdfs sink bundle's revision before update " + update;
                WeakReference<ClassLoader> old = new WeakReference<>(Bundles.classLoader(sink));
                // While events flow: the sink is in a batch or about to take one.
                sink.update();
                a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
                awaitProgress(feeder);
                output.awaitAll(0, feeder.acknowledgedUpTo());

                // The sink writes through the new revision: its Hadoop call threads carry the new class loader.
                ClassLoader current = Bundles.classLoader(sink);
                assertNotEquals("update " + update + " gave the bundle a new class loader", old.get(), current);
                assertTrue("the sink's Hadoop calls run on the new revision after update " + update + "; its threads: "
                        + ClassLoaderLeftovers.threads(current), ClassLoaderLeftovers.threads(current).stream()
                                .anyMatch(thread -> thread.startsWith("'k1-hdfs-call-")));
                current = null;
                ClassLoaderLeftovers.awaitNoThreads(revision, old);
                assertEquals("Hadoop's statistics cleaner threads: the current revision's only", cleanersBefore + 1,
                        statisticsCleaners());
                ClassLoaderLeftovers.awaitCollected(revision, old);
            }
        } finally {
            feeder.close();
        }
        assertEveryAcknowledgedNumberArrived(output, feeder.acknowledgedUpTo());
    }

    @Test
    public void anUninstalledSinkWaitsWithItsEventsInTheChannelLeavesNothingBehindAndResumesWhenInstalledAgain()
            throws Exception {
        String directory = "/reload/uninstall";
        long cleanersBefore = statisticsCleaners();
        AgentStatuses a1 = startAgent(directory);
        WebHdfsTextOutput output = new WebHdfsTextOutput(MiniHdfs.webHdfs(), directory);
        PluginBundle plugin = hdfsPlugin();

        NetcatFeeder feeder = NetcatFeeder.start(port);
        try {
            awaitProgress(feeder);
            output.awaitAll(0, feeder.acknowledgedUpTo());

            // The jar is taken out of deploy/ and the operator refreshes: the sink stops and waits, naming its type.
            Bundle sink = Bundles.installed(context, plugin.symbolicName());
            WeakReference<ClassLoader> removed = new WeakReference<>(Bundles.classLoader(sink));
            sink.uninstall();
            sink = null;
            ComponentStatus waiting = a1.awaitNotStarted(ComponentKind.SINK, "k1");
            assertEquals(waiting.toString(), ComponentState.WAITING, waiting.state());
            assertContains(waiting.reason(), "'hdfs'");
            Bundles.refreshPending(context);
            ClassLoaderLeftovers.awaitNoThreads("the uninstalled hdfs sink bundle", removed);
            assertEquals("Hadoop's statistics cleaner threads", cleanersBefore, statisticsCleaners());

            // Events keep coming and stay in the channel; nothing more reaches HDFS.
            long written = output.lineCount();
            awaitProgress(feeder);
            assertEquals("lines in HDFS while the sink's bundle is uninstalled", written, output.lineCount());
            assertTrue("the channel holds what arrived since", FlumeCounters.channel("c1", "ChannelSize") >= PROGRESS);

            // Nothing of the old revision is reachable any more: its classes can be unloaded.
            ClassLoaderLeftovers.awaitCollected("the uninstalled hdfs sink bundle", removed);

            Bundle installedAgain = Bundles.deploy(context, plugin);
            ComponentStatus resumed = a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
            assertEquals(resumed.toString(), installedAgain.getVersion().toString(), resumed.providerVersion());
            awaitProgress(feeder);
        } finally {
            feeder.close();
        }
        assertEveryAcknowledgedNumberArrived(output, feeder.acknowledgedUpTo());
    }

    /** netcat -> memory -> hdfs (DataStream, files closed after a second, so every batch is soon readable). */
    private AgentStatuses startAgent(String directory) {
        port = NetcatFeeder.freePort();
        AgentConfigurations.agent(admin, "a1")
                // Room for what the client sends while the sink is away.
                .channel("c1", Map.of("type", "memory", "capacity", "100000", "transactionCapacity", "1000"))
                .sink("k1", Map.ofEntries(Map.entry("type", "hdfs"), Map.entry("channel", "c1"),
                        Map.entry("hdfs.path", MiniHdfs.uri() + directory), Map.entry("hdfs.fileType", "DataStream"),
                        Map.entry("hdfs.rollInterval", "1"), Map.entry("hdfs.rollCount", "0"),
                        Map.entry("hdfs.rollSize", "0"), Map.entry("hdfs.batchSize", "100"),
                        Map.entry("hdfs.config.dfs.replication", "1")))
                .source("r1", Map.of("type", "netcat", "bind", "127.0.0.1", "port", Integer.toString(port),
                        "channels", "c1"));
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);
        return a1;
    }

    /**
     * The threads named as FileSystem.Statistics' reference cleaner, one per copy of Hadoop that wrote through a
     * FileSystem: the MiniDFSCluster's, and the sink bundle's while it runs. It has no context class loader and is
     * a plain Thread, so only its name tells it from other threads; once started it runs until interrupted.
     */
    private static long statisticsCleaners() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().equals("org.apache.hadoop.fs.FileSystem$Statistics$StatisticsDataReferenceCleaner"))
                .count();
    }

    private static PluginBundle hdfsPlugin() {
        return PluginCatalog.load().bundleFor(ComponentKind.SINK, "hdfs");
    }

    /** Every number in [0, end) is in HDFS, and nothing else is; a number may be there twice (at least once). */
    private static void assertEveryAcknowledgedNumberArrived(WebHdfsTextOutput output, long end) {
        Set<Long> written = new TreeSet<>(output.awaitAll(0, end));
        assertEquals("distinct numbers in HDFS", end, written.size());
        assertEquals("the highest number in HDFS", end - 1, (long) ((TreeSet<Long>) written).last());
    }

    /** Waits until the source acknowledged {@link #PROGRESS} more lines. */
    private static void awaitProgress(NetcatFeeder feeder) {
        long target = feeder.acknowledged() + PROGRESS;
        Await.until(PROGRESS + " more lines acknowledged by the netcat source (refusals so far: " + feeder.refusals()
                + ")", feeder::acknowledged, acknowledged -> acknowledged >= target);
    }
}
