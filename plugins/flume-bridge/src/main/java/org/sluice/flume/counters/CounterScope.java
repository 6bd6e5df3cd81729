package org.sluice.flume.counters;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.counter.ComponentCounter;

/**
 * The Sluice counters of one Flume component, made current on the thread while the bridge calls into the component
 * ({@link #enter()}): a Flume counter group the component creates meanwhile, of the component's kind and name,
 * keeps its values in these counters, so they appear under the component's JMX name and in the HTTP JSON exactly
 * as Sluice's own components' do. Any other counter group it creates keeps its own values and is published as an
 * MBean under Flume's name, as in Flume, and taken down again when the component stops ({@link #close()}).
 */
public final class CounterScope {
    private static final Logger LOG = LoggerFactory.getLogger(CounterScope.class);
    private static final ThreadLocal<CounterScope> CURRENT = new ThreadLocal<>();

    /** Flume's MonitoredCounterGroup.Type names of the three kinds Sluice keeps counters for. */
    private final String type;
    private final String name;
    private final ComponentCounter counter;
    private final boolean channel;
    private final List<ObjectName> published = new ArrayList<>();

    /**
     * @param type    Flume's counter group type of the component ({@code SOURCE}, {@code SINK}, {@code CHANNEL}), or
     *                null for a component Sluice keeps no counters for (an interceptor)
     * @param name    the component's name, as Flume names its counter groups
     * @param counter the component's Sluice counters, or null
     */
    public CounterScope(String type, String name, ComponentCounter counter) {
        this.type = type;
        this.name = name;
        this.counter = counter;
        this.channel = "CHANNEL".equals(type);
    }

    /** Makes this scope current on the calling thread; the returned handle restores the previous one. */
    public Entered enter() {
        CounterScope previous = CURRENT.get();
        CURRENT.set(this);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /**
     * Where a new Flume counter group of this type and name keeps its values: the current scope's Sluice counters if
     * the group is the component's own, else a store of its own.
     */
    public static CounterStore storeFor(String type, String name, String[] keys) {
        CounterScope scope = CURRENT.get();
        if (scope != null && scope.counter != null && scope.type.equals(type) && scope.name.equals(name)) {
            return new SluiceCounterStore(scope.counter, scope.channel);
        }
        return new OwnCounterStore(keys, scope);
    }

    /** Publishes a group that keeps its own values under Flume's MBean name, if the name is free. */
    void publish(Object group, ObjectName objectName) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            if (server.isRegistered(objectName)) {
                LOG.debug("{} is already published; Flume counter group {} is not", objectName, group);
                return;
            }
            server.registerMBean(group, objectName);
            synchronized (published) {
                published.add(objectName);
            }
        } catch (JMException | RuntimeException e) {
            LOG.warn("Could not publish the Flume counters {} as {}", group, objectName, e);
        }
    }

    /** The component stopped: the MBeans of the counter groups it made go. */
    public void close() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        synchronized (published) {
            for (ObjectName objectName : published) {
                try {
                    server.unregisterMBean(objectName);
                } catch (JMException e) {
                    LOG.debug("{} was already gone", objectName, e);
                }
            }
            published.clear();
        }
    }

    /** Leaves a scope; never throws. */
    @FunctionalInterface
    public interface Entered extends AutoCloseable {
        @Override
        void close();
    }
}
