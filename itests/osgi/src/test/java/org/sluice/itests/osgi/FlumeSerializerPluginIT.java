package org.sluice.itests.osgi;

import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.sluice.itests.osgi.support.TextAssertions.assertContains;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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
import org.sluice.itests.osgi.support.DeployWatcher;
import org.sluice.itests.osgi.support.Await;
import org.sluice.itests.osgi.support.NetcatFeeder;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.TinyFlumePlugin;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

/**
 * Flume classes named inside components: a file_roll sink's {@code sink.serializer} and a regex_extractor's
 * {@code serializers.s1.type}, both from a plain Flume plugin jar written against Flume's API only. Until the jar is
 * in deploy/ the two components wait, naming their key; with it they run and the plugin's code formats every event;
 * when it is removed they are stopped and wait again. And file_roll's {@code avro_event}, which the bridge provides
 * with Flume's own serializer.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class FlumeSerializerPluginIT {
    private static final String PLUGIN_JAR = "sluice.itests.flume.serializerplugin";
    private static final String SERIALIZER = "com.example.flume.TaggedLineSerializer$Builder";
    private static final String PARITY = "com.example.flume.ParitySerializer";
    private static final long EVENTS = 200;

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Configuration
    public Option[] configuration() throws IOException {
        return options(SluiceOptions.kernel(), SluiceOptions.fileInstall(), TinyFlumePlugin.pathAs(PLUGIN_JAR),
                SluiceOptions.plugins("source:netcat", "channel_selector:replicating", "channel:memory",
                        "interceptor:regex_extractor", "sink:file_roll"));
    }

    @Test
    public void componentsWaitForThePluginsSerializersUseThemAndWaitAgainWhenTheyGo() throws Exception {
        Path deploy = WorkDirs.create("deploy");
        Path out = WorkDirs.create("out");
        DeployWatcher.watch(admin, deploy);
        int port = NetcatFeeder.freePort();
        AgentConfigurations.agent(admin, "a1")
                .channel("c1", Map.of("type", "memory", "capacity", "10000"))
                .sink("k1", Map.of("type", "file_roll", "channel", "c1", "sink.directory", out.toString(),
                        "sink.rollInterval", "0", "sink.serializer", SERIALIZER, "sink.serializer.tag", "T"))
                .source("r1", Map.ofEntries(Map.entry("type", "netcat"), Map.entry("bind", "127.0.0.1"),
                        Map.entry("port", Integer.toString(port)), Map.entry("channels", "c1"),
                        Map.entry("interceptors", "i1"), Map.entry("interceptors.i1.type", "regex_extractor"),
                        Map.entry("interceptors.i1.regex", "(\\d+)"), Map.entry("interceptors.i1.serializers", "s1"),
                        Map.entry("interceptors.i1.serializers.s1.name", "parity"),
                        Map.entry("interceptors.i1.serializers.s1.type", PARITY),
                        Map.entry("interceptors.i1.serializers.s1.odd", "ODD")));
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        // First they may wait for their channel; then for the plugin, naming the key.
        ComponentStatus sinkWaits = a1.awaitWaitingFor(ComponentKind.SINK, "k1", SERIALIZER);
        assertContains(sinkWaits.reason(), "'sink.serializer'");
        ComponentStatus sourceWaits = a1.awaitWaitingFor(ComponentKind.SOURCE, "r1", PARITY);
        assertContains(sourceWaits.reason(), "'serializers.s1.type'");

        Path jar = deploy.resolve("example-flume-plugin-1.0.jar");
        Files.copy(Paths.get(System.getProperty(PLUGIN_JAR)), jar);
        a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);
        try (NetcatFeeder feeder = NetcatFeeder.start(port)) {
            feeder.finishAt(EVENTS);
        }
        List<String> expected = new ArrayList<>();
        for (long n = 0; n < EVENTS; n++) {
            expected.add("T|" + (n % 2 == 0 ? "even" : "ODD") + "|" + n);
        }
        Await.until("every event written by the plugin's serializer, with the plugin's header", () -> lines(out),
                lines -> lines.containsAll(expected));
        assertContains(lines(out).get(0), "# begin T");

        // The plugin goes: both components are stopped (the file gets the serializer's last line) and wait again.
        Files.delete(jar);
        ComponentStatus sinkGone = a1.awaitNotStarted(ComponentKind.SINK, "k1");
        assertContains(sinkGone.reason(), SERIALIZER);
        ComponentStatus sourceGone = a1.awaitNotStarted(ComponentKind.SOURCE, "r1");
        assertContains(sourceGone.reason(), PARITY);
        Await.until("the file ended by the serializer", () -> lines(out), lines -> lines.contains("# end T"));
    }

    @Test
    public void fileRollWritesFlumesAvroEventFilesWithTheBridgesOwnSerializer() throws Exception {
        Path out = WorkDirs.create("out");
        int port = NetcatFeeder.freePort();
        AgentConfigurations.agent(admin, "a1")
                .channel("c1", Map.of("type", "memory", "capacity", "10000"))
                .sink("k1", Map.of("type", "file_roll", "channel", "c1", "sink.directory", out.toString(),
                        "sink.rollInterval", "0", "sink.serializer", "avro_event"))
                .source("r1", Map.of("type", "netcat", "bind", "127.0.0.1", "port", Integer.toString(port),
                        "channels", "c1"));
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);
        try (NetcatFeeder feeder = NetcatFeeder.start(port)) {
            feeder.finishAt(EVENTS);
        }
        // The records themselves are read back by FlumeSerializersTest; here: an Avro container of Flume's Event.
        String file = Await.until("the last event in the Avro file", () -> String.join("\n", lines(out)),
                content -> content.contains(Long.toString(EVENTS - 1)));
        assertTrue(file, file.startsWith("Obj\u0001"));
        assertContains(file, "\"name\":\"Event\"");
    }

    private static List<String> lines(Path directory) {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                lines.addAll(List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
