package org.sluice.platform.metrics;

import java.util.Locale;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.sluice.api.component.ComponentKind;

/**
 * The JMX names Flume gives its counter groups, so that JConsole views, JMX exporters and scripts written
 * for Flume find Sluice's counters where they looked before.
 *
 * <p>Flume 1.11 registers {@code org.apache.flume.<type>:type=<component name>}, the type being its
 * {@code MonitoredCounterGroup.Type} in lower case ({@code org.apache.flume.source:type=r1}); the
 * {@code Type} attribute carries the same type in upper case ({@code SOURCE}).
 *
 * <p>Flume runs one agent per JVM, Sluice may run several: when a second agent has a component of the same
 * kind and name, its MBean is qualified with the agent, {@code org.apache.flume.source:type=r1,agent=a2}.
 */
public final class FlumeMBeanNames {

    /** The domain prefix Flume's HTTP reporter polls. */
    public static final String DOMAIN_PREFIX = "org.apache.flume";

    private FlumeMBeanNames() {
    }

    /**
     * Flume's {@code MonitoredCounterGroup.Type} for a kind of component. Kinds Flume has no counter group
     * for map to the group closest to them: a sink group to its sink processor, a channel selector to the
     * channel processor it works in.
     */
    public static String flumeType(ComponentKind kind) {
        return switch (kind) {
            case SOURCE -> "SOURCE";
            case CHANNEL -> "CHANNEL";
            case SINK -> "SINK";
            case SINKGROUP, SINK_PROCESSOR, SINK_SELECTOR -> "SINK_PROCESSOR";
            case INTERCEPTOR -> "INTERCEPTOR";
            case CHANNEL_SELECTOR -> "CHANNEL_PROCESSOR";
        };
    }

    /** {@code org.apache.flume.source:type=r1}: the name Flume gives the component's counters. */
    public static ObjectName flumeName(ComponentKind kind, String component) {
        return parse(domain(kind) + ":type=" + value(component));
    }

    /** {@code org.apache.flume.source:type=r1,agent=a2}: the same, for a second agent with such a component. */
    public static ObjectName agentQualifiedName(ComponentKind kind, String component, String agent) {
        return parse(domain(kind) + ":type=" + value(component) + ",agent=" + value(agent));
    }

    private static String domain(ComponentKind kind) {
        return DOMAIN_PREFIX + "." + flumeType(kind).toLowerCase(Locale.ENGLISH);
    }

    /**
     * A key property value as written when it is a plain name, quoted when it holds a character JMX reserves
     * (Flume does not quote, so such a name fails to register there; here it registers, quoted).
     */
    private static String value(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            if (",=:\"*?\n\\".indexOf(raw.charAt(i)) >= 0) {
                return ObjectName.quote(raw);
            }
        }
        return raw.isEmpty() ? ObjectName.quote(raw) : raw;
    }

    private static ObjectName parse(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            // Every value is quoted when it needs to be, so this is a bug here, not a user error.
            throw new IllegalStateException("Cannot build the JMX name " + name, e);
        }
    }
}
