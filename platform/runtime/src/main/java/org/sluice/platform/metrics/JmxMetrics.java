package org.sluice.platform.metrics;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ComponentKind;

/**
 * The platform's {@link Metrics}: keeps each component's counters and publishes them in the platform MBean
 * server under Flume's names ({@link FlumeMBeanNames}), as {@link CountersDynamicMBean}s read live. Removing
 * a component, or stopping this bundle, unregisters its MBeans.
 *
 * <p>Two agents of one JVM may both have, say, a source {@code r1}: the first one to ask for its counters gets
 * Flume's name {@code org.apache.flume.source:type=r1}, the next ones {@code ...:type=r1,agent=<agent>}. A
 * name is kept for the counters' life (until {@link #remove}), so it does not change under a monitoring
 * tool when the other agent goes away.
 *
 * <p>Immediate, so that counters outlive a restart of the runtime component that uses them (a delayed
 * component would be disposed of, with its counters, when its last user lets go).
 *
 * <p>Counters work whether or not they could be published: the runtime counts either way, and a failed
 * registration is logged with the MBean's name.
 */
@Component(immediate = true, service = Metrics.class)
public final class JmxMetrics implements Metrics {
    private static final Logger LOG = LoggerFactory.getLogger(JmxMetrics.class);

    private record Key(String agent, ComponentKind kind, String name) {
    }

    /** Counters and the name they are published under, or null when publishing failed. */
    private record Published(ComponentCounters counters, ObjectName name) {
    }

    private final MBeanServer server;
    private final Map<Key, Published> published = new HashMap<>();
    /** The names this instance registered: another agent's component, never someone else's MBean. */
    private final Set<ObjectName> ours = new HashSet<>();

    /** The DS constructor: publishes in the JVM's platform MBean server, where Flume's tools look. */
    public JmxMetrics() {
        this(ManagementFactory.getPlatformMBeanServer());
    }

    /** Publishes in the given MBean server (tests use a server of their own). */
    public JmxMetrics(MBeanServer server) {
        this.server = server;
    }

    @Override
    public synchronized ComponentCounters counters(String agent, ComponentKind kind, String name) {
        Key key = new Key(agent, kind, name);
        Published existing = published.get(key);
        if (existing != null) {
            return existing.counters();
        }
        ComponentCounters counters = create(agent, kind, name);
        published.put(key, new Published(counters, register(counters)));
        return counters;
    }

    @Override
    public synchronized void remove(String agent, ComponentKind kind, String name) {
        Published gone = published.remove(new Key(agent, kind, name));
        if (gone != null && gone.name() != null) {
            unregister(gone.name());
        }
    }

    @Override
    public synchronized Collection<ComponentCounters> all() {
        List<ComponentCounters> all = new ArrayList<>(published.size());
        published.values().forEach(p -> all.add(p.counters()));
        return all;
    }

    /** The name a component's counters are published under, or null if they are not. */
    public synchronized ObjectName objectName(String agent, ComponentKind kind, String name) {
        Published p = published.get(new Key(agent, kind, name));
        return p == null ? null : p.name();
    }

    /** Unregisters every MBean this instance registered; the counters are forgotten with them. */
    @Deactivate
    public synchronized void close() {
        for (ObjectName name : List.copyOf(ours)) {
            unregister(name);
        }
        published.clear();
    }

    private static ComponentCounters create(String agent, ComponentKind kind, String name) {
        return switch (kind) {
            case SOURCE -> ComponentCounters.forSource(agent, name);
            case CHANNEL -> ComponentCounters.forChannel(agent, name);
            case SINK -> ComponentCounters.forSink(agent, name);
            // Flume has no preset counters for these; a component adds its own.
            default -> new ComponentCounters(agent, kind, name);
        };
    }

    private ObjectName register(ComponentCounters counters) {
        ObjectName flumeName = FlumeMBeanNames.flumeName(counters.kind(), counters.name());
        ObjectName name = ours.contains(flumeName)
                ? FlumeMBeanNames.agentQualifiedName(counters.kind(), counters.name(), counters.agent())
                : flumeName;
        try {
            if (server.isRegistered(name) && !ours.contains(name)) {
                // Flume replaces a stale MBean of the same name (left by an earlier instance of the component
                // in this JVM); so does Sluice, for a name it does not hold itself.
                LOG.info("Replacing the MBean {} registered by someone else with the counters of {} {} of agent {}",
                        name, counters.kind(), counters.name(), counters.agent());
                server.unregisterMBean(name);
            }
            server.registerMBean(new CountersDynamicMBean(counters), name);
            ours.add(name);
            return name;
        } catch (InstanceNotFoundException | InstanceAlreadyExistsException e) {
            // Someone else registered or unregistered that name between the check and our call.
            LOG.error("Cannot publish the counters of {} {} of agent {} as {}: the name is in use", counters.kind(),
                    counters.name(), counters.agent(), name, e);
            return null;
        } catch (JMException e) {
            LOG.error("Cannot publish the counters of {} {} of agent {} as {}", counters.kind(), counters.name(),
                    counters.agent(), name, e);
            return null;
        }
    }

    private void unregister(ObjectName name) {
        ours.remove(name);
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // Someone unregistered it already (a JMX client may): what we want is done.
            LOG.debug("MBean {} was already unregistered", name);
        } catch (JMException e) {
            LOG.error("Cannot unregister the MBean {}", name, e);
        }
    }
}
