package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;

import javax.inject.Inject;
import javax.management.ObjectName;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.component.ComponentKind;
import org.sluice.itests.osgi.support.AgentStatuses;
import org.sluice.itests.osgi.support.Await;
import org.sluice.itests.osgi.support.FlumeHttpSinkAgent;
import org.sluice.itests.osgi.support.HttpReceiver;
import org.sluice.itests.osgi.support.NetcatFeeder;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

/**
 * Flume 1.11.0's own http sink, the unchanged jar from Maven Central, in a plugins.d directory given as the plugins
 * path ({@code --plugins-path}): the directory becomes a bundle of its own, the sink runs with its Flume counters
 * published as Flume publishes them, and removing the directory removes the plugin.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class FlumePluginsDirectoryIT {
    /** Where the configuration put the plugins.d directory, for the probe. */
    private static final String PLUGINS_D = "sluice.itests.flume.pluginsd";

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Configuration
    public Option[] configuration() throws Exception {
        // A plugins.d directory as Flume users lay it out, with the http sink in lib/.
        Path pluginsD = WorkDirs.create("plugins.d");
        Path lib = Files.createDirectories(pluginsD.resolve("http/lib"));
        Files.copy(FlumeHttpSinkAgent.httpSinkJar(), lib.resolve(FlumeHttpSinkAgent.httpSinkJar().getFileName()));
        return options(SluiceOptions.kernel(), SluiceOptions.fileInstall(),
                frameworkProperty("sluice.flume.plugins.path").value(pluginsD.toString()),
                systemProperty(PLUGINS_D).value(pluginsD.toString()),
                SluiceOptions.plugins("source:netcat", "channel_selector:replicating", "channel:memory"));
    }

    @Test
    public void aPluginsDirectoryRunsWithFlumesCountersUnderFlumesNames() throws Exception {
        int port = NetcatFeeder.freePort();
        try (HttpReceiver server = HttpReceiver.start()) {
            FlumeHttpSinkAgent.configure(admin, "a2", port, server);
            AgentStatuses a2 = new AgentStatuses(runtime, "a2");
            ComponentStatus running = a2.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
            assertEquals(running.toString(), "flume.plugin.http", running.providerBundle());
            a2.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);
            NetcatFeeder feeder = NetcatFeeder.start(port);
            try {
                FlumeHttpSinkAgent.awaitProgress(feeder, 200);
            } finally {
                feeder.close();
            }
            server.awaitAll(0, feeder.acknowledgedUpTo());
            // The http sink's own Flume SinkCounter counts into the sink's Sluice counters, published under Flume's
            // MBean name and attribute.
            ObjectName name = new ObjectName("org.apache.flume.sink:type=k1");
            Await.until("the sink's EventDrainSuccessCount over JMX", () -> drained(name),
                    value -> value >= feeder.acknowledgedUpTo());

            // The plugin directory is removed: its bundle goes, and the sink waits again.
            Path plugin = Paths.get(System.getProperty(PLUGINS_D)).resolve("http");
            try (var paths = Files.walk(plugin)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            a2.awaitNotStarted(ComponentKind.SINK, "k1");
        }
    }

    private static long drained(ObjectName name) {
        try {
            Object value = ManagementFactory.getPlatformMBeanServer().getAttribute(name, "EventDrainSuccessCount");
            return value instanceof Number number ? number.longValue() : Long.parseLong(String.valueOf(value));
        } catch (Exception e) {
            return -1L;
        }
    }
}
