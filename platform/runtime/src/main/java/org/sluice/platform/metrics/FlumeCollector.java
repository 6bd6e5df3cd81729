package org.sluice.platform.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

/**
 * The Flume counters of every component, and every configured component's state, as Prometheus metric families,
 * read at each scrape.
 *
 * <ul>
 * <li>Each counter as the family {@link PrometheusNames} names, one series per component with the labels
 * {@code agent}, {@code component}, {@code kind} ({@code source}, {@code channel}, {@code sink}, ...) and
 * {@code type} (the configured type, {@code memory}; empty when the runtime does not know the component).</li>
 * <li>{@code flume_channel_fill_ratio}: a channel's size over its capacity, from 0 to 1 (Flume's
 * {@code ChannelFillPercentage} divided by 100).</li>
 * <li>{@code sluice_component_state}: one series per configured component and state ({@code state} label:
 * {@code WAITING}, {@code STARTING}, {@code RUNNING}, {@code STOPPING}, {@code FAILED}, {@code STOPPED}), 1 for the state it is in
 * and 0 for the others, so a panel or an alert can select either.</li>
 * </ul>
 *
 * <p>Label values are names from the agent's configuration (agent, component, type), never a configured value: no
 * secret can reach a series.
 */
final class FlumeCollector implements MultiCollector {
    private static final Logger LOG = LoggerFactory.getLogger(FlumeCollector.class);

    static final String FILL_RATIO = "flume_channel_fill_ratio";
    static final String COMPONENT_STATE = "sluice_component_state";
    private static final String[] LABELS = {"agent", "component", "kind", "type"};

    private final Metrics metrics;
    private final Supplier<AgentRuntime> runtime;
    /** Families already warned about for a clash of names, so a clash is logged once, not at every scrape. */
    private final Set<String> warnedClashes = ConcurrentHashMap.newKeySet();

    /**
     * @param metrics where the counters are
     * @param runtime the agents' statuses (the configured types and states); null while the runtime is not there
     */
    FlumeCollector(Metrics metrics, Supplier<AgentRuntime> runtime) {
        this.metrics = metrics;
        this.runtime = runtime;
    }

    /** One family's series while they are gathered: its name, kind of family and help, its points by labels. */
    private static final class Family {
        final String name;
        final boolean counter;
        final String help;
        final Unit unit;
        final Map<Labels, Double> points = new HashMap<>();

        Family(String name, boolean counter, String help, Unit unit) {
            this.name = name;
            this.counter = counter;
            this.help = help;
            this.unit = unit;
        }

        MetricSnapshot snapshot() {
            if (counter) {
                CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
                points.forEach((labels, value) -> builder.dataPoint(
                        CounterDataPointSnapshot.builder().labels(labels).value(value).build()));
                return builder.build();
            }
            GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
            if (unit != null) {
                builder.unit(unit);
            }
            points.forEach((labels, value) -> builder.dataPoint(
                    GaugeDataPointSnapshot.builder().labels(labels).value(value).build()));
            return builder.build();
        }
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Family> families = new TreeMap<>();
        Map<String, String> types = new HashMap<>();
        List<ComponentStatus> statuses = statuses();
        for (ComponentStatus status : statuses) {
            types.put(key(status.agent(), status.kind(), status.name()), status.type() == null ? "" : status.type());
        }
        for (ComponentCounters counters : metrics.all()) {
            Labels labels = labels(counters.agent(), counters.name(), counters.kind(),
                    types.getOrDefault(key(counters.agent(), counters.kind(), counters.name()), ""));
            for (Map.Entry<String, Long> counter : counters.snapshot().entrySet()) {
                PrometheusNames.Family family = PrometheusNames.family(counters.kind(), counter.getKey());
                boolean time = family.scale() != 1;
                String help = help(counters.kind(), counter.getKey())
                        + (time ? ", in seconds since the epoch (0: not yet)" : "");
                add(families, family.name(), family.counter(), help, time ? Unit.SECONDS : null, labels,
                        counter.getValue() * family.scale());
            }
            if (counters.kind() == ComponentKind.CHANNEL) {
                add(families, FILL_RATIO, false, "Flume's " + ChannelCounter.CHANNEL_FILL_PERCENTAGE
                        + " of a channel over 100: its size over its capacity", Unit.RATIO, labels,
                        counters.fillPercentage() / 100);
            }
        }
        for (ComponentStatus status : statuses) {
            Labels labels = labels(status.agent(), status.name(), status.kind(), status.type() == null ? ""
                    : status.type());
            for (ComponentState state : ComponentState.values()) {
                add(families, COMPONENT_STATE, false, "1 for the state each configured component is in, else 0",
                        null, labels.add("state", state.name()), state == status.state() ? 1 : 0);
            }
        }
        List<MetricSnapshot> snapshots = new ArrayList<>(families.size());
        families.values().forEach(family -> snapshots.add(family.snapshot()));
        return new MetricSnapshots(snapshots);
    }

    private List<ComponentStatus> statuses() {
        AgentRuntime agents = runtime.get();
        List<ComponentStatus> out = new ArrayList<>();
        if (agents != null) {
            for (String agent : agents.agents()) {
                out.addAll(agents.components(agent));
            }
        }
        return out;
    }

    private void add(Map<String, Family> families, String name, boolean counter, String help, Unit unit,
            Labels labels, double value) {
        Family family = families.computeIfAbsent(name, n -> new Family(n, counter, help, unit));
        if (family.counter != counter || family.points.putIfAbsent(labels, value) != null) {
            // Two counters of one component whose names the rule maps to one family ("Size" and "ChannelSize" of a
            // channel): the first is kept. A plugin's naming choice, not an error of the agent; said once.
            if (warnedClashes.add(name)) {
                LOG.warn("Two counters of {} map to the Prometheus metric {}: one of them is left out ({})", labels,
                        name, help);
            }
        }
    }

    private static Labels labels(String agent, String component, ComponentKind kind, String type) {
        return Labels.of(LABELS, new String[] {agent, component, kindLabel(kind), type});
    }

    /** {@code source}, {@code sink_processor}: a kind as the {@code kind} label says it. */
    static String kindLabel(ComponentKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static String help(ComponentKind kind, String counter) {
        return "Flume's " + counter + " of each " + kindLabel(kind).replace('_', ' ');
    }

    private static String key(String agent, ComponentKind kind, String name) {
        return agent + '\0' + kind + '\0' + name;
    }
}
