package org.sluice.launcher;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.condition.Condition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugins of deploy/ an agent's configuration does not name start after the agent runs, not before: resolving
 * and activating them was about a quarter of the CPU of a start, spent before the agent listened. They are installed
 * as always, at a start level above the kernel's ({@link StartLevels#deferredPlugins}), which the framework reaches
 * once the platform says every component of the agent runs (its {@value #STARTED_CONDITION} condition), or
 * {@link #BOUND_SECONDS} seconds after the kernel started, whichever comes first: every plugin is live soon after the
 * start, a configuration change may name any of them, and hot deployment works as before. The runtime waits for a
 * factory by its type name, so a type that comes later is only later, never missing.
 *
 * <p>A plugin starts with the kernel when it declares ({@link DeclaredTypes}) a type some value of the agent's
 * components names, or one every agent uses without naming it ({@link PluginSelection#ALWAYS_KEPT}). Bundles that
 * declare no type (the libraries plugins import from, whose activators some plugins rely on) always start with the
 * kernel: they cost nothing measurable. When a component's type is declared by no plugin of deploy/ (a Flume class
 * of plugins.d, a bundle that registers its factories itself, a value with {@code ${...}}), or the configuration is
 * not in files the launcher can read (URIs, ZooKeeper), every plugin starts with the kernel, as before.
 */
final class DeferredPlugins {
    private static final Logger LOG = LoggerFactory.getLogger(DeferredPlugins.class);
    /** The platform's condition once every component of an agent runs (AgentManager.STARTED_CONDITION). */
    static final String STARTED_CONDITION = "sluice.agent.started";
    /** The property that names the agent of that condition (the platform's ConfigSchema.AGENT). */
    static final String AGENT_PROPERTY = "sluice.agent";
    /** How long after the kernel started the deferred plugins wait for the agent at most. */
    static final long BOUND_SECONDS = 10;

    private DeferredPlugins() {
    }

    /**
     * The plugin jars to start once the agent runs; empty when every plugin starts with the kernel.
     *
     * @param declared   by jar of deploy/, the types it declares
     * @param configured the agent's types; empty when the launcher cannot read them
     */
    static Set<Path> choose(Map<Path, Map<String, Set<String>>> declared, Optional<ConfiguredTypes> configured) {
        if (configured.isEmpty()) {
            LOG.debug("Every plugin starts with the kernel: the configuration is not in files the launcher reads");
            return Set.of();
        }
        Set<String> values = configured.get().values();
        Set<Path> deferred = new LinkedHashSet<>();
        for (Map.Entry<Path, Map<String, Set<String>>> jar : declared.entrySet()) {
            Map<String, Set<String>> types = jar.getValue();
            boolean plugin = types.values().stream().anyMatch(names -> !names.isEmpty());
            if (plugin && !PluginSelection.providesAlwaysKept(types) && !namesAny(types.values(), values)) {
                deferred.add(jar.getKey());
            }
        }
        for (String type : configured.get().componentTypes()) {
            if (declared.values().stream().noneMatch(types -> namesAny(types.values(), Set.of(type)))) {
                LOG.info("Every plugin starts with the kernel: no plugin of deploy/ declares the type '{}'", type);
                return Set.of();
            }
        }
        return deferred;
    }

    private static boolean namesAny(Collection<Set<String>> declared, Set<String> values) {
        return declared.stream().flatMap(Set::stream)
                .anyMatch(type -> values.stream().anyMatch(value -> ConfiguredTypes.names(type, value)));
    }

    /**
     * Once the kernel has started: raises the framework to {@code level} when the agent runs, or after
     * {@code boundSeconds}, on a thread that ends then.
     */
    static void startOnceRunning(Framework framework, String agent, int level, int deferred, long boundSeconds) {
        BundleContext context = framework.getBundleContext();
        String filter = "(&(" + org.osgi.framework.Constants.OBJECTCLASS + "=" + Condition.class.getName() + ")("
                + Condition.CONDITION_ID + "=" + STARTED_CONDITION + ")(" + AGENT_PROPERTY + "=" + escape(agent) + "))";
        CountDownLatch running = new CountDownLatch(1);
        ServiceListener listener = event -> {
            if (event.getType() == ServiceEvent.REGISTERED) {
                running.countDown();
            }
        };
        try {
            context.addServiceListener(listener, filter);
            if (context.getServiceReferences((String) null, filter) != null) {
                running.countDown();
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("The filter for agent " + agent + " is malformed: " + filter, e);
        }
        Thread waiter = new Thread(() -> {
            boolean ran;
            try {
                ran = running.await(boundSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                context.removeServiceListener(listener);
                if (framework.getState() != Bundle.ACTIVE) {
                    return;
                }
                if (ran) {
                    LOG.info("Agent {} runs: starting the {} plugins of deploy/ its configuration does not name",
                            agent, deferred);
                } else {
                    LOG.info("Agent {} does not run yet after {} s: starting the {} plugins of deploy/ its "
                            + "configuration does not name now", agent, boundSeconds, deferred);
                }
                framework.adapt(FrameworkStartLevel.class).setStartLevel(level);
            } catch (IllegalStateException e) {
                // The framework stopped meanwhile: nothing is left to start.
            }
        }, "sluice-deferred-plugins");
        waiter.setDaemon(true);
        waiter.start();
    }

    /** A filter value with the characters RFC 1960 reserves escaped. */
    private static String escape(String value) {
        return value.replaceAll("([\\\\*()])", "\\\\$1");
    }
}
