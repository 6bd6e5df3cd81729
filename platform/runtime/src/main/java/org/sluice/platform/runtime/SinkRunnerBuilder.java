package org.sluice.platform.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.sluice.api.component.ComponentKind;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkProcessor;
import org.sluice.api.sink.SinkProcessorFactory;
import org.sluice.api.sink.SinkSelector;
import org.sluice.api.sink.SinkSelectorFactory;
import org.sluice.platform.config.ConfigSchema;

/**
 * Starts and stops what drives an agent's sinks: a sink group's processor (with the sink selector its
 * configuration names, taken from the registry) on the group's runner, or a lone sink's runner.
 */
final class SinkRunnerBuilder {
    private final BuildContext build;

    SinkRunnerBuilder(BuildContext build) {
        this.build = build;
    }

    /**
     * The running group, or null with its status saying why not.
     *
     * @param groupOf    sink name to the group it belongs to ({@link ReconcilePlan#groupOf})
     * @param configured every configured component of the agent
     * @param sinks      the running sinks
     */
    RunningGraph.RunnerEntry startGroup(String group, Map<String, String> props, Map<String, String> groupOf,
            Set<ComponentKey> configured, Map<String, RunningGraph.SinkEntry> sinks) {
        ComponentKey key = ComponentKey.sinkGroup(group);
        List<String> members = ReconcilePlan.names(props.get(ConfigSchema.SINKS));
        if (members.isEmpty()) {
            build.board().invalid(key, props, ConfigSchema.SINKS, "a sink group needs sinks");
            return null;
        }
        Map<String, Sink> memberSinks = new LinkedHashMap<>();
        for (String member : members) {
            if (!group.equals(groupOf.get(member))) {
                build.board().invalid(key, props, ConfigSchema.SINKS,
                        "sink '" + member + "' is in group '" + groupOf.get(member) + "' already");
                return null;
            }
            if (!configured.contains(ComponentKey.sink(member))) {
                build.board().invalid(key, props, ConfigSchema.SINKS, "sink '" + member + "' is not configured");
                return null;
            }
            RunningGraph.SinkEntry sink = sinks.get(member);
            if (sink == null) {
                build.board().waiting(key, props, "sink '" + member + "' is not running");
                return null;
            }
            memberSinks.put(member, sink.sink());
        }
        Map<String, String> processorProps = RuntimeContext.subProperties(props, ConfigSchema.PROCESSOR_PREFIX);
        String type = processorProps.getOrDefault(ConfigSchema.TYPE, "default");
        Provider provider = build.provider(key, props, ComponentKind.SINK_PROCESSOR, type,
                ConfigSchema.PROCESSOR_PREFIX + ConfigSchema.TYPE);
        if (provider == null) {
            return null;
        }
        SinkProcessorFactory factory = (SinkProcessorFactory) provider.factory();
        String selectorKey;
        try {
            selectorKey = factory.sinkSelectorKey(processorProps);
        } catch (RuntimeException | LinkageError e) {
            build.board().failed(key, props, List.of(provider), e);
            return null;
        }
        // A selector named by the processor's configuration comes from the registry like any other type: the
        // group waits for its bundle, and stops with it, as a source does with its interceptors.
        List<Provider> providers = new ArrayList<>(List.of(provider));
        Provider selectorProvider = null;
        Map<String, String> selectorProps = Map.of();
        if (selectorKey != null) {
            selectorProvider = build.provider(key, props, ComponentKind.SINK_SELECTOR,
                    processorProps.get(selectorKey), ConfigSchema.PROCESSOR_PREFIX + selectorKey);
            if (selectorProvider == null) {
                return null;
            }
            providers.add(selectorProvider);
            selectorProps = RuntimeContext.subProperties(processorProps, selectorKey + ".");
        }
        if (build.board().failedBefore(key, props, providers)) {
            return null;
        }
        SinkSelector selector = null;
        SinkProcessor processor;
        try {
            build.checkConfiguration(provider, processorProps, group + ".processor");
            if (selectorProvider != null) {
                String selectorName = group + ".processor." + selectorKey;
                build.checkConfiguration(selectorProvider, selectorProps, selectorName);
                selector = ((SinkSelectorFactory) selectorProvider.factory()).create(new RuntimeContext.SinkSelectorCtx(
                        build.agent(), selectorName, selectorProps, build.env().dataRoot(), memberSinks));
                selector.start();
            }
            processor = factory.create(new RuntimeContext.Processor(build.agent(), group + ".processor",
                    processorProps, build.env().dataRoot(), memberSinks, selector));
            processor.start();
        } catch (Exception | LinkageError e) {
            if (selector != null) {
                build.stopQuietly(selector, "sink selector of group " + group);
            }
            build.board().failed(key, props, providers, e);
            return null;
        }
        Runner runner = newRunner(new RunnerKey.Group(group), () -> processor.process() == Sink.Status.READY);
        runner.start();
        build.board().running(key, props, provider);
        return new RunningGraph.RunnerEntry(runner, members, props, List.copyOf(providers), processor, selector);
    }

    /** The runner of a running sink that no group lists. */
    RunningGraph.RunnerEntry startLoneSink(String name, RunningGraph.SinkEntry sink) {
        Sink instance = sink.sink();
        Runner runner = newRunner(new RunnerKey.LoneSink(name), () -> instance.process() == Sink.Status.READY);
        runner.start();
        return new RunningGraph.RunnerEntry(runner, List.of(name), null, List.of(), null, null);
    }

    /** Stops the runner (the current call finishes), then the group's processor, then its selector. */
    void stop(RunnerKey key, RunningGraph.RunnerEntry running) {
        running.runner().stop(Runner.STOP_GRACE_MILLIS);
        if (running.processor() != null) {
            build.stopQuietly(running.processor(), "sink processor of group " + key.name());
        }
        if (running.selector() != null) {
            // After the processor: it may use the selector until it has stopped.
            build.stopQuietly(running.selector(), "sink selector of group " + key.name());
        }
    }

    private Runner newRunner(RunnerKey key, Runner.Step step) {
        return new Runner(key.threadName(build.agent()), step, build.env().sinkBackoffIncrementMillis(),
                build.env().sinkMaxBackoffMillis());
    }
}
