package org.sluice.platform.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ConfigurationException;
import org.sluice.platform.config.ConfigSchema;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

/**
 * Where each configured component of one agent is in its life, and why, as the shell and
 * {@link org.sluice.platform.management.AgentRuntime} show it; the log tells the same story once per change.
 *
 * <p>It also remembers configurations that failed validation, by the configuration and providers they failed
 * with: retrying cannot help until one of them changes. Reading ({@link #statuses}) needs no lock; the
 * writers are the agent's builders, under the agent's lock.
 */
final class StatusBoard {
    private static final Logger LOG = LoggerFactory.getLogger(StatusBoard.class);

    /** How long after an agent appears a component may wait for its plugin before that is a warning. */
    private static final long STARTUP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** The reason shown for a component an operator stopped. */
    static final String STOPPED_REASON = "stopped by an operator; sluice:startcomponent starts it again";

    private final String agent;
    private final Map<ComponentKey, ComponentStatus> status = new ConcurrentHashMap<>();
    /** The configuration and provider ids a component failed validation with; guarded by the agent's lock. */
    private final Map<ComponentKey, List<Object>> failedWith = new LinkedHashMap<>();
    /** Waiting components already warned about, until their reason changes; guarded by the agent's lock. */
    private final Set<ComponentKey> warnedWaiting = new HashSet<>();
    private final long createdNanos = System.nanoTime();

    StatusBoard(String agent) {
        this.agent = agent;
    }

    /** Every component's status, by kind, then name. */
    List<ComponentStatus> statuses() {
        List<ComponentStatus> out = new ArrayList<>(status.values());
        out.sort(Comparator.comparing(ComponentStatus::kind).thenComparing(ComponentStatus::name));
        return out;
    }

    /** Something it needs is missing (a plugin, a channel, a sink); logged when the reason changes. */
    void waiting(ComponentKey key, Map<String, String> props, String reason) {
        ComponentStatus previous = status.get(key);
        boolean changed = previous == null || !reason.equals(previous.reason());
        if (changed) {
            warnedWaiting.remove(key);
        }
        // At start-up, plugin bundles of deploy/ install just after the agent's configuration is read: a wait
        // then is normal and logged at INFO. One still waiting after the grace period is warned about, once.
        boolean pastGrace = System.nanoTime() - createdNanos > STARTUP_GRACE_NANOS;
        if (pastGrace && warnedWaiting.add(key)) {
            LOG.warn("Agent {}: {} {} waits: {}", agent, kindName(key.kind()), key.name(), reason);
        } else if (changed && !pastGrace) {
            LOG.info("Agent {}: {} {} waits: {}", agent, kindName(key.kind()), key.name(), reason);
        }
        put(key, props, ComponentState.WAITING, null, reason);
    }

    /** The configuration cannot work as it is (a sink without a channel); logged when the reason changes. */
    void invalid(ComponentKey key, Map<String, String> props, String configKey, String message) {
        String reason = new ConfigurationException(agent, key.name(), configKey, message).getMessage();
        ComponentStatus previous = status.get(key);
        if (previous == null || !reason.equals(previous.reason())) {
            LOG.error("Agent {}: {} {} not started: {}", agent, kindName(key.kind()), key.name(), reason);
        }
        put(key, props, ComponentState.FAILED, null, reason);
    }

    /**
     * Creating or starting it threw. A {@link ConfigurationException} is remembered with the configuration and
     * providers, and not retried until one of them changes; anything else (a port in use) is retried later.
     *
     * @param providers the component's provider first, then those of its parts (selector, interceptors)
     */
    void failed(ComponentKey key, Map<String, String> props, List<Provider> providers, Throwable e) {
        String reason;
        if (e instanceof ConfigurationException) {
            reason = e.getMessage();
            failedWith.put(key, signature(props, providers));
            LOG.error("Agent {}: {} {} not started: {}", agent, kindName(key.kind()), key.name(), reason);
        } else {
            reason = "start failed: " + e + (e.getCause() != null ? " (" + e.getCause() + ")" : "");
            LOG.error("Agent {}: {} {} failed to start; retrying later", agent, kindName(key.kind()), key.name(), e);
        }
        put(key, props, ComponentState.FAILED, providers.get(0), reason);
    }

    /** True when this configuration already failed validation with these providers. */
    boolean failedBefore(ComponentKey key, Map<String, String> props, List<Provider> providers) {
        return signature(props, providers).equals(failedWith.get(key));
    }

    void running(ComponentKey key, Map<String, String> props, Provider provider) {
        failedWith.remove(key);
        put(key, props, ComponentState.RUNNING, provider, null);
        LOG.info("Agent {}: {} {} started ({} from {})", agent, kindName(key.kind()), key.name(),
                props.get(ConfigSchema.TYPE), provider);
    }

    /** An operator stopped it ({@code sluice:stop}); logged once. */
    void stoppedByOperator(ComponentKey key, Map<String, String> props) {
        ComponentStatus previous = status.get(key);
        if (previous == null || previous.state() != ComponentState.STOPPED) {
            LOG.info("Agent {}: {} {} stopped by an operator", agent, kindName(key.kind()), key.name());
        }
        put(key, props, ComponentState.STOPPED, null, STOPPED_REASON);
    }

    void stopping(ComponentKey key, Map<String, String> props, Provider provider) {
        put(key, props, ComponentState.STOPPING, provider, null);
    }

    /** A provider went: a configuration that failed with it may work with its successor. */
    void forgetFailures() {
        failedWith.clear();
    }

    /** Drops what is no longer configured; returns the keys dropped. */
    Set<ComponentKey> retainOnly(Set<ComponentKey> configured) {
        Set<ComponentKey> dropped = new HashSet<>(status.keySet());
        dropped.removeAll(configured);
        status.keySet().removeAll(dropped);
        failedWith.keySet().removeIf(key -> !configured.contains(key));
        warnedWaiting.removeIf(key -> !configured.contains(key));
        return dropped;
    }

    void clear() {
        status.clear();
        failedWith.clear();
        warnedWaiting.clear();
    }

    /** "channel", "sinkgroup", "channel selector": how the log and the reasons name a kind. */
    static String kindName(ComponentKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private void put(ComponentKey key, Map<String, String> props, ComponentState state, Provider provider,
            String reason) {
        status.put(key, new ComponentStatus(agent, key.name(), key.kind(), props.get(ConfigSchema.TYPE), state,
                provider == null ? null : provider.bundle(), provider == null ? null : provider.version(), reason));
    }

    private static List<Object> signature(Map<String, String> props, List<Provider> providers) {
        List<Object> signature = new ArrayList<>();
        signature.add(props);
        providers.forEach(p -> signature.add(p.serviceId()));
        return signature;
    }
}
