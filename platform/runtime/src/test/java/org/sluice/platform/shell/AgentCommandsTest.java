package org.sluice.platform.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sluice.api.component.ComponentKind;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.platform.metrics.Metrics;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

class AgentCommandsTest {

    /** The runtime as the shell sees it: agents and their components, fixed. */
    private static final class FixedRuntime implements AgentRuntime {
        final Map<String, List<ComponentStatus>> agents = new LinkedHashMap<>();

        FixedRuntime with(ComponentStatus status) {
            agents.computeIfAbsent(status.agent(), a -> new ArrayList<>()).add(status);
            return this;
        }

        @Override
        public List<String> agents() {
            return List.copyOf(agents.keySet());
        }

        @Override
        public List<ComponentStatus> components(String agent) {
            return agents.getOrDefault(agent, List.of());
        }
    }

    /** Counters in a list, in creation order (the commands must sort them themselves). */
    private static final class ListMetrics implements Metrics {
        final List<ComponentCounters> all = new ArrayList<>();

        @Override
        public ComponentCounters counters(String agent, ComponentKind kind, String name) {
            ComponentCounters counters = switch (kind) {
                case SOURCE -> ComponentCounters.forSource(agent, name);
                case CHANNEL -> ComponentCounters.forChannel(agent, name);
                default -> ComponentCounters.forSink(agent, name);
            };
            all.add(counters);
            return counters;
        }

        @Override
        public void remove(String agent, ComponentKind kind, String name) {
            all.removeIf(c -> c.agent().equals(agent) && c.kind() == kind && c.name().equals(name));
        }

        @Override
        public Collection<ComponentCounters> all() {
            return List.copyOf(all);
        }
    }

    private final FixedRuntime runtime = new FixedRuntime()
            .with(new ComponentStatus("a1", "r1", ComponentKind.SOURCE, "netcat", ComponentState.RUNNING,
                    "org.sluice.source.netcat", "1.0.0", null))
            .with(new ComponentStatus("a1", "c1", ComponentKind.CHANNEL, "memory", ComponentState.RUNNING,
                    "org.sluice.channel.memory", "1.2.0", null))
            .with(new ComponentStatus("a1", "k1", ComponentKind.SINK, "hdfs", ComponentState.WAITING, null, null,
                    "no bundle provides sink type 'hdfs'"))
            .with(new ComponentStatus("a2", "k1", ComponentKind.SINK, "logger", ComponentState.FAILED,
                    "org.sluice.sink.logger", "1.0.0", "start failed:\nboom"));
    private final ListMetrics metrics = new ListMetrics();
    private final AgentCommands commands = new AgentCommands(runtime, metrics);

    private static List<String> lines(String text) {
        return List.of(text.split("\\R"));
    }

    /** The cells of a table line: columns are separated by at least two spaces. */
    private static List<String> cells(String line) {
        return List.of(line.trim().split(" {2,}"));
    }

    @Test
    void agentsCountsComponentsPerState() {
        List<String> lines = lines(commands.agents());

        assertEquals(List.of("AGENT", "COMPONENTS", "WAITING", "STARTING", "RUNNING", "STOPPING", "FAILED",
                "STOPPED"),
                cells(lines.get(0)));
        assertEquals(List.of("a1", "3", "1", "0", "2", "0", "0", "0"), cells(lines.get(1)));
        assertEquals(List.of("a2", "1", "0", "0", "0", "0", "1", "0"), cells(lines.get(2)));
        assertEquals(3, lines.size());
    }

    @Test
    void columnsAreAligned() {
        List<String> lines = lines(commands.agents());
        int running = lines.get(0).indexOf("RUNNING");
        assertEquals('2', lines.get(1).charAt(running));
        assertEquals('0', lines.get(2).charAt(running));
    }

    @Test
    void noAgentIsSaidInWords() {
        AgentCommands empty = new AgentCommands(new FixedRuntime(), metrics);
        assertEquals("No agent is configured.", empty.agents());
        assertEquals("No agent is configured.", empty.components());
    }

    @Test
    void componentsShowsStateProviderAndReason() {
        List<String> lines = lines(commands.components("a1"));

        assertEquals(List.of("AGENT", "NAME", "KIND", "TYPE", "STATE", "PROVIDER", "REASON"), cells(lines.get(0)));
        assertEquals(List.of("a1", "r1", "SOURCE", "netcat", "RUNNING", "org.sluice.source.netcat 1.0.0"),
                cells(lines.get(1)));
        assertEquals(List.of("a1", "k1", "SINK", "hdfs", "WAITING", "-", "no bundle provides sink type 'hdfs'"),
                cells(lines.get(3)));
        assertEquals(4, lines.size());
        assertFalse(lines.get(1).endsWith(" "), "no trailing blanks when there is no reason");
    }

    @Test
    void componentsOfAllAgentsKeepsEachRowOnOneLine() {
        List<String> lines = lines(commands.components());

        assertEquals(5, lines.size());
        assertEquals(List.of("a2", "k1", "SINK", "logger", "FAILED", "org.sluice.sink.logger 1.0.0",
                "start failed: boom"), cells(lines.get(4)));
    }

    @Test
    void anUnknownAgentIsNamedWithTheKnownOnes() {
        assertEquals("No agent a9; agents: a1, a2.", commands.components("a9"));
        assertEquals("No agent a9; agents: a1, a2.", commands.counters("a9"));
    }

    @Test
    void countersShowsEachComponentsCountersSortedByAgentKindAndName() {
        metrics.counters("a2", ComponentKind.SINK, "k1");
        metrics.counters("a1", ComponentKind.SINK, "k1").addToEventDrainSuccessCount(5);
        metrics.counters("a1", ComponentKind.SOURCE, "r1").addToEventReceivedCount(12);
        ComponentCounters channel = metrics.counters("a1", ComponentKind.CHANNEL, "c1");
        channel.setChannelCapacity(3);
        channel.setChannelSize(1);

        String all = commands.counters();

        List<String> headings = lines(all).stream().filter(l -> !l.isEmpty() && !l.startsWith(" ")).toList();
        assertEquals(List.of("a1 SOURCE r1", "a1 CHANNEL c1", "a1 SINK k1", "a2 SINK k1"), headings);
        assertTrue(lines(all).contains("  EventReceivedCount        12"), all);
        assertTrue(all.contains("  ChannelFillPercentage  33.33"), all);
    }

    @Test
    void countersFilterByAgentAndComponent() {
        metrics.counters("a1", ComponentKind.SOURCE, "r1").addToEventReceivedCount(12);
        metrics.counters("a1", ComponentKind.SINK, "k1").addToEventDrainSuccessCount(5);
        metrics.counters("a2", ComponentKind.SINK, "k1").addToEventDrainSuccessCount(7);

        String a1 = commands.counters("a1");
        assertTrue(a1.startsWith("a1 SOURCE r1"), a1);
        assertTrue(a1.contains("a1 SINK k1"), a1);
        assertFalse(a1.contains("a2"), a1);

        String k1 = commands.counters("a2", "k1");
        assertTrue(k1.startsWith("a2 SINK k1"), k1);
        assertTrue(lines(k1).stream().anyMatch(l -> cells(l).equals(List.of("EventDrainSuccessCount", "7"))), k1);
        assertEquals(1, lines(k1).stream().filter(l -> !l.startsWith(" ")).count());

        assertEquals("Agent a1 has no counters for a component zz.", commands.counters("a1", "zz"));
    }

    @Test
    void startTimeIsShownWithItsInstant() {
        ComponentCounters source = metrics.counters("a1", ComponentKind.SOURCE, "r1");
        source.set(ComponentCounters.START_TIME, 1_700_000_000_000L);

        String text = commands.counters("a1", "r1");

        assertTrue(text.contains("StartTime                 1700000000000 (2023-11-14T22:13:20Z)"), text);
        assertTrue(lines(text).stream().anyMatch(l -> cells(l).equals(List.of("StopTime", "0"))), text);
    }

    @Test
    void noCountersIsSaidInWords() {
        assertEquals("No component has counters yet.", commands.counters());
        assertEquals("No component of agent a1 has counters yet.", commands.counters("a1"));
    }
}
