package org.sluice.platform.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.event.EventBuilder;
import org.sluice.platform.config.ConfigSchema;
import org.sluice.platform.config.InMemoryConfigurationAdmin;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;
import org.sluice.platform.runtime.AgentControl;
import org.sluice.platform.tap.Tap;
import org.sluice.platform.tap.TapRegistry;
import org.sluice.platform.tap.TapSample;

/** The operator's commands of the remote shell: naming a component, its configuration, plugins, tap. */
class OperatorCommandsTest {

    private static final class Runtime implements AgentRuntime {
        final List<ComponentStatus> statuses = new ArrayList<>();

        Runtime with(String agent, ComponentKind kind, String name) {
            statuses.add(new ComponentStatus(agent, name, kind, "memory", ComponentState.RUNNING, "b", "1.0.0", null));
            return this;
        }

        @Override
        public List<String> agents() {
            return statuses.stream().map(ComponentStatus::agent).distinct().sorted().toList();
        }

        @Override
        public List<ComponentStatus> components(String agent) {
            return statuses.stream().filter(s -> s.agent().equals(agent)).toList();
        }
    }

    /** Taps from a real registry; stop and start recorded. */
    private static final class Control implements AgentControl {
        final TapRegistry taps = new TapRegistry();
        final List<String> calls = new ArrayList<>();
        final List<ProvidedTypes> provided = new ArrayList<>();

        @Override
        public boolean stop(String agent, ComponentKind kind, String name) {
            calls.add("stop " + agent + " " + kind + " " + name);
            return true;
        }

        @Override
        public boolean start(String agent, ComponentKind kind, String name) {
            calls.add("start " + agent + " " + kind + " " + name);
            return true;
        }

        @Override
        public Tap tap(String agent, ComponentKind kind, String name, int wanted) {
            return taps.open(agent, kind, name, wanted);
        }

        @Override
        public List<ProvidedTypes> providedTypes() {
            return provided;
        }
    }

    @Test
    void aComponentIsNamedAloneOrWithItsAgentAndKind() {
        Runtime runtime = new Runtime().with("a1", ComponentKind.SOURCE, "x").with("a1", ComponentKind.SINK, "x")
                .with("a1", ComponentKind.CHANNEL, "c1").with("a2", ComponentKind.CHANNEL, "c2");
        assertEquals(new ComponentRef("a1", ComponentKind.CHANNEL, "c1"), ComponentRef.resolve(runtime, "c1"));
        assertEquals(new ComponentRef("a2", ComponentKind.CHANNEL, "c2"), ComponentRef.resolve(runtime, "a2.c2"));
        assertEquals(new ComponentRef("a1", ComponentKind.SINK, "x"), ComponentRef.resolve(runtime, "a1.sink:x"));
        IllegalArgumentException twoKinds = assertThrows(IllegalArgumentException.class,
                () -> ComponentRef.resolve(runtime, "x"));
        assertTrue(twoKinds.getMessage().contains("a1.source:x, a1.sink:x"), twoKinds.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ComponentRef.resolve(runtime, "a3.c1"));
        assertThrows(IllegalArgumentException.class, () -> ComponentRef.resolve(runtime, "nope"));
    }

    @Test
    void stopAndStartNameTheComponentToTheRuntime() throws Exception {
        Runtime runtime = new Runtime().with("a1", ComponentKind.CHANNEL, "c1");
        Control control = new Control();
        LifecycleCommands commands = new LifecycleCommands(runtime, control);
        assertTrue(commands.stopcomponent("c1").startsWith("Stopped channel a1.c1"));
        assertTrue(commands.startcomponent("a1.c1").startsWith("Started channel a1.c1"));
        assertEquals(List.of("stop a1 CHANNEL c1", "start a1 CHANNEL c1"), control.calls);
    }

    @Test
    void configIsShownWithoutSecretsAndChangedOneKeyAtATime() throws Exception {
        Runtime runtime = new Runtime().with("a1", ComponentKind.SINK, "k1");
        InMemoryConfigurationAdmin admin = new InMemoryConfigurationAdmin();
        Hashtable<String, Object> props = new Hashtable<>(Map.of(ConfigSchema.AGENT, "a1", ConfigSchema.COMPONENT,
                "k1", ConfigSchema.ORIGIN, "/etc/flume.conf", "type", "avro", "hostname", "collector",
                "ssl.keystore-password", "hunter2"));
        admin.getFactoryConfiguration(ConfigSchema.SINK_PID, "a1.k1", null).update(props);
        ComponentConfigCommands commands = new ComponentConfigCommands(runtime, admin);

        String shown = commands.config("k1");
        assertTrue(shown.contains("hostname = collector"), shown);
        assertTrue(shown.contains("ssl.keystore-password = ****"), shown);
        assertFalse(shown.contains("hunter2"), shown);
        assertFalse(shown.contains(ConfigSchema.AGENT), "bookkeeping is not the component's: " + shown);

        String set = commands.config("k1", "batch-size", "500");
        assertTrue(set.contains("until /etc/flume.conf changes"), set);
        Map<String, Object> stored = admin.properties(ConfigSchema.SINK_PID + "~a1.k1");
        assertEquals("500", stored.get("batch-size"));
        assertEquals("/etc/flume.conf", stored.get(ConfigSchema.ORIGIN), "still the file's configuration");
        assertFalse(commands.config("k1", "ssl.keystore-password", "s3cret").contains("s3cret"));

        commands.config(ComponentConfigCommands.DELETE, "k1", "batch-size");
        assertFalse(admin.properties(ConfigSchema.SINK_PID + "~a1.k1").containsKey("batch-size"));
        assertTrue(commands.config("k1", ConfigSchema.AGENT, "a2").contains("not a key of the component"));
        assertEquals("a1", admin.properties(ConfigSchema.SINK_PID + "~a1.k1").get(ConfigSchema.AGENT));
    }

    @Test
    void pluginsAreListedWithTheTypesTheyProvide() {
        Control control = new Control();
        control.provided.add(new AgentControl.ProvidedTypes("org.sluice.channel.memory", "1.2.0",
                ComponentKind.CHANNEL, List.of("memory", "org.apache.flume.channel.MemoryChannel")));
        PluginCommands commands = new PluginCommands(control, () -> List.of(
                new PluginCommands.BundleRow(0, "org.apache.felix.framework", "7.0.5", "ACTIVE"),
                new PluginCommands.BundleRow(12, "org.sluice.channel.memory", "1.2.0", "ACTIVE")));
        String plugins = commands.plugins();
        assertTrue(plugins.contains("org.sluice.channel.memory  1.2.0    channel: memory, "
                + "org.apache.flume.channel.MemoryChannel"), plugins);
        assertFalse(plugins.contains("felix"), plugins);
        assertTrue(commands.bundles().contains("org.apache.felix.framework"));
    }

    @Test
    void aTapPrintsEventsAsTheyPassEscapedAndBounded() throws Exception {
        Runtime runtime = new Runtime().with("a1", ComponentKind.SINK, "k1");
        Control control = new Control();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TapCommand command = new TapCommand(runtime, control, () -> out);

        CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> {
            try {
                return command.tap("k1", 2, 30);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        var point = control.taps.point("a1", ComponentKind.SINK, "k1");
        Awaitility.await("the tap is open").atMost(Duration.ofSeconds(10)).until(point::active);
        point.offer("take", EventBuilder.withBody("evil\u001b[2J\nforged line".getBytes(StandardCharsets.UTF_8),
                Map.of("host", "web\r\n1")));
        point.offer("take", EventBuilder.withBody("y".repeat(5000), StandardCharsets.UTF_8));
        String summary = result.get(20, TimeUnit.SECONDS);

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("body[20]=\"evil\\x1b[2J\\nforged line\""), printed);
        assertTrue(printed.contains("host=web\\r\\n1"), printed);
        assertFalse(printed.contains("\u001b"), "no escape sequence reaches the terminal");
        assertTrue(printed.contains("body[5000]=\"" + "y".repeat(TapCommand.BODY_CHARS)), printed);
        assertFalse(printed.contains("y".repeat(TapCommand.BODY_CHARS + 1)), "the body is cut");
        assertEquals(3, printed.lines().count(), "the start line and one line per event: " + printed);
        assertTrue(summary.startsWith("Tap of sink a1.k1 ended: 2 shown, 2 passed"), summary);
        assertFalse(point.active(), "the tap closed when it ended");
    }

    @Test
    void aPreviewCutInsideACharacterLosesOnlyThatCharacter() {
        byte[] cut = "ab\u00e9".getBytes(StandardCharsets.UTF_8);
        byte[] partial = java.util.Arrays.copyOf(cut, cut.length - 1);
        assertEquals("ab", new String(TapCommand.withoutPartialCharacter(partial), StandardCharsets.UTF_8));
        TapSample sample = new TapSample("take", 0, Map.of(), partial, 100);
        assertTrue(TapCommand.line(sample).endsWith("body[100]=\"ab\"..."), TapCommand.line(sample));
    }
}
