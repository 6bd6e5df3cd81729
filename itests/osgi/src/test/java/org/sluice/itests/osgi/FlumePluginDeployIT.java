package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.sluice.itests.osgi.support.FlumeHttpSinkAgent.httpSinkJar;
import static org.sluice.itests.osgi.support.TextAssertions.assertContains;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;

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
import org.sluice.itests.osgi.support.AgentStatuses;
import org.sluice.itests.osgi.support.DeployWatcher;
import org.sluice.itests.osgi.support.FlumeHttpSinkAgent;
import org.sluice.itests.osgi.support.HttpReceiver;
import org.sluice.itests.osgi.support.NetcatFeeder;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

/**
 * Flume 1.11.0's own http sink, the unchanged jar from Maven Central, as a plain jar copied into a watched directory
 * (deploy/), replaced and removed while a client keeps sending: every line the netcat source acknowledged must reach
 * the HTTP server at least once, across every change.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class FlumePluginDeployIT {
    /** Lines sent during each step. */
    private static final long STEP = 300;

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Configuration
    public Option[] configuration() {
        return options(SluiceOptions.kernel(), SluiceOptions.fileInstall(),
                systemProperty(FlumeHttpSinkAgent.HTTP_SINK_JAR)
                        .value(System.getProperty(FlumeHttpSinkAgent.HTTP_SINK_JAR, "")),
                SluiceOptions.plugins("source:netcat", "channel_selector:replicating", "channel:memory"));
    }

    @Test
    public void aPlainFlumeJarGoesLiveIsReplacedAndRemovedWithoutLosingAnAcknowledgedEvent() throws Exception {
        Path deploy = WorkDirs.create("deploy");
        DeployWatcher.watch(admin, deploy);
        int port = NetcatFeeder.freePort();
        try (HttpReceiver server = HttpReceiver.start()) {
            FlumeHttpSinkAgent.configure(admin, "a1", port, server);
            AgentStatuses a1 = new AgentStatuses(runtime, "a1");
            ComponentStatus waiting = a1.await(ComponentKind.SINK, "k1", ComponentState.WAITING);
            assertContains(waiting.reason(), FlumeHttpSinkAgent.HTTP_SINK);
            a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);

            // Each step happens while lines are being sent; a step ends when the source acknowledged its lines.
            long sent = 0;
            NetcatFeeder feeder = NetcatFeeder.start(port, sent);
            // The plain jar is copied in: the bridge makes a bundle of it, and the sink starts.
            Path jar = deploy.resolve(httpSinkJar().getFileName());
            Files.copy(httpSinkJar(), jar);
            ComponentStatus running = a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
            assertEquals(running.toString(), "flume.jar.flume-http-sink", running.providerBundle());
            assertEquals(running.toString(), "1.11.0", running.providerVersion());
            feeder.finishAt(sent += STEP);
            server.awaitAll(0, sent);

            // A new copy replaces it: the bundle is updated and the sink restarts on it.
            long postsBefore = server.posts();
            feeder = NetcatFeeder.start(port, sent);
            Files.copy(httpSinkJar(), jar, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
            feeder.finishAt(sent += STEP);
            a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
            server.awaitAll(0, sent);
            assertTrue(server.posts() > postsBefore);

            // Removed: the sink waits, naming its class; the lines sent meanwhile wait in the channel.
            feeder = NetcatFeeder.start(port, sent);
            Files.delete(jar);
            ComponentStatus gone = a1.awaitNotStarted(ComponentKind.SINK, "k1");
            assertContains(gone.reason(), FlumeHttpSinkAgent.HTTP_SINK);
            feeder.finishAt(sent += STEP);

            // Back: everything acknowledged meanwhile is delivered.
            Files.copy(httpSinkJar(), jar);
            a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
            server.awaitAll(0, sent);
        }
    }
}
