package org.sluice.platform.config;

import java.util.Set;

import org.sluice.api.component.ComponentKind;

/**
 * How an agent configuration is laid out in Config Admin; the one contract between whatever writes
 * configurations (the properties file bridge, etc/ files through FileInstall, the shell) and the runtime
 * that reads them.
 *
 * <p>One factory configuration per agent ({@value #AGENT_PID}, name {@code <agent>}) and one per source,
 * channel, sink and sink group ({@code org.sluice.source}, ..., name {@code <agent>.<component>}). A
 * component configuration holds the component's Flume keys exactly as written after
 * {@code <agent>.<section>.<component>.}, string values, plus {@link #AGENT} and {@link #COMPONENT}.
 * Interceptors and the channel selector stay inside their source's configuration ({@code interceptors.i1.type},
 * {@code selector.type}), the sink processor inside its group's ({@code processor.type}), as in Flume.
 * FileInstall splits {@code etc/PID-NAME.cfg} at the first dash, so no PID has a dash.
 */
public final class ConfigSchema {

    private ConfigSchema() {
    }

    public static final String AGENT_PID = "org.sluice.agent";
    public static final String SOURCE_PID = "org.sluice.source";
    public static final String CHANNEL_PID = "org.sluice.channel";
    public static final String SINK_PID = "org.sluice.sink";
    public static final String SINKGROUP_PID = "org.sluice.sinkgroup";

    /** The agent a configuration belongs to. */
    public static final String AGENT = "sluice.agent";
    /** The component's name within its agent. */
    public static final String COMPONENT = "sluice.component";
    /** The absolute path of the properties file a configuration was made from; absent for others. */
    public static final String ORIGIN = "sluice.origin";

    /** Flume's structural keys, read by the runtime rather than by the component. */
    public static final String TYPE = "type";
    public static final String CHANNELS = "channels";
    public static final String CHANNEL = "channel";
    public static final String SINKS = "sinks";
    public static final String SELECTOR_PREFIX = "selector.";
    public static final String INTERCEPTORS = "interceptors";
    public static final String PROCESSOR_PREFIX = "processor.";

    /** Properties Config Admin and FileInstall add, never part of a component's keys. */
    public static final Set<String> BOOKKEEPING = Set.of("service.pid", "service.factoryPid",
            "service.bundleLocation", "felix.fileinstall.filename", AGENT, COMPONENT, ORIGIN, SecretKeys.FROM_FILTERS);

    public static String factoryPid(ComponentKind kind) {
        switch (kind) {
            case SOURCE:
                return SOURCE_PID;
            case CHANNEL:
                return CHANNEL_PID;
            case SINK:
                return SINK_PID;
            case SINKGROUP:
                return SINKGROUP_PID;
            default:
                throw new IllegalArgumentException(kind + " has no configuration of its own");
        }
    }

    public static ComponentKind kindOf(String factoryPid) {
        switch (factoryPid) {
            case SOURCE_PID:
                return ComponentKind.SOURCE;
            case CHANNEL_PID:
                return ComponentKind.CHANNEL;
            case SINK_PID:
                return ComponentKind.SINK;
            case SINKGROUP_PID:
                return ComponentKind.SINKGROUP;
            default:
                return null;
        }
    }

    /** The factory configuration name of a component: {@code <agent>.<component>}. */
    public static String configurationName(String agent, String component) {
        return agent + "." + component;
    }
}
