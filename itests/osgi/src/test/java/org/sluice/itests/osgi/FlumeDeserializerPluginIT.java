package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.sluice.itests.osgi.support.TextAssertions.assertContains;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
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
import org.sluice.itests.osgi.support.DeployWatcher;
import org.sluice.itests.osgi.support.FileRollOutput;
import org.sluice.itests.osgi.support.FlumeCounters;
import org.sluice.itests.osgi.support.PluginCatalog;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.TinyFlumePlugin;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

/**
 * A spooldir source's {@code deserializer} from a plain Flume plugin jar in deploy/: the source waits for it, reads
 * with it, and keeps the headers it gives each event. The plugin is taken away while the source is in the middle of
 * a file (the channel is full, nothing drains it) and put back later: the source continues after the last batch the
 * channel took, and the file's lines arrive each exactly once, in order.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class FlumeDeserializerPluginIT {
    private static final String PLUGIN_JAR = "sluice.itests.flume.deserializerplugin";
    private static final String DESERIALIZER = "com.example.flume.TaggedLineDeserializer$Builder";
    private static final int LINES = 3000;
    private static final int CHANNEL_CAPACITY = 1000;

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() throws IOException {
        return options(SluiceOptions.kernel(), SluiceOptions.fileInstall(), TinyFlumePlugin.pathAs(PLUGIN_JAR),
                SluiceOptions.plugins("source:spooldir", "channel_selector:replicating", "channel:memory"));
    }

    @Test
    public void theSourceReadsWithThePluginsDeserializerAndResumesMidFileWhenItIsBack() throws Exception {
        Path deploy = WorkDirs.create("deploy");
        Path spool = WorkDirs.create("spool");
        Path out = WorkDirs.create("out");
        DeployWatcher.watch(admin, deploy);
        List<String> expected = new ArrayList<>();
        StringBuilder file = new StringBuilder();
        for (int n = 0; n < LINES; n++) {
            file.append("h").append(n % 3).append('|').append(n).append('\n');
            expected.add("{origin=h" + n % 3 + "} " + n);
        }
        Files.write(spool.resolve("events.log"), file.toString().getBytes(StandardCharsets.UTF_8));
        // No file_roll bundle yet: the sink waits, and the channel fills up to its capacity.
        AgentConfigurations.agent(admin, "a1")
                .channel("c1", Map.of("type", "memory", "capacity", Integer.toString(CHANNEL_CAPACITY),
                        "transactionCapacity", "100"))
                .sink("k1", Map.of("type", "file_roll", "channel", "c1", "sink.directory", out.toString(),
                        "sink.rollInterval", "0", "sink.serializer", "HEADER_AND_TEXT"))
                .source("r1", Map.of("type", "spooldir", "spoolDir", spool.toString(), "channels", "c1",
                        "batchSize", "100", "deserializer", DESERIALIZER, "deserializer.header", "origin"));
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        ComponentStatus waits = a1.awaitWaitingFor(ComponentKind.SOURCE, "r1", DESERIALIZER);
        assertContains(waits.reason(), "'deserializer'");

        Path jar = deploy.resolve("example-flume-plugin-1.0.jar");
        Files.copy(Paths.get(System.getProperty(PLUGIN_JAR)), jar);
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);
        Await.until("the channel full with the file's first lines", () -> FlumeCounters.channel("c1", "ChannelSize"),
                size -> size == CHANNEL_CAPACITY);

        // The plugin goes in the middle of the file: the source is stopped, the file stays unfinished.
        Files.delete(jar);
        ComponentStatus gone = a1.awaitNotStarted(ComponentKind.SOURCE, "r1");
        assertContains(gone.reason(), DESERIALIZER);
        assertTrue("the file is not finished", Files.exists(spool.resolve("events.log")));

        // The sink comes and drains the channel; the plugin comes back and the source continues where it was.
        Bundles.deploy(context, PluginCatalog.load().bundleFor(ComponentKind.SINK, "file_roll"));
        a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
        Files.copy(Paths.get(System.getProperty(PLUGIN_JAR)), jar, StandardCopyOption.REPLACE_EXISTING);
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);

        FileRollOutput output = new FileRollOutput(out);
        Await.until("every line in the output", output::lines, lines -> lines.size() >= LINES);
        Await.until("the file finished", () -> Files.exists(spool.resolve("events.log.COMPLETED")), done -> done);
        assertEquals("each line once, in order, with the deserializer's header", expected, output.lines());
    }
}
