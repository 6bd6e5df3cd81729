package org.sluice.platform.runtime;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.Lifecycle;
import org.sluice.platform.config.TypedConfiguration;

/**
 * What every builder of one agent shares: the agent's name, the engine's services, the status board, and the
 * steps each kind takes alike (find a provider or say why not, check a configuration, stop a part quietly).
 */
final class BuildContext {
    private static final Logger LOG = LoggerFactory.getLogger(BuildContext.class);

    private final String agent;
    private final Agent.Environment env;
    private final StatusBoard board;

    BuildContext(String agent, Agent.Environment env, StatusBoard board) {
        this.agent = agent;
        this.env = env;
        this.board = board;
    }

    String agent() {
        return agent;
    }

    Agent.Environment env() {
        return env;
    }

    StatusBoard board() {
        return board;
    }

    /**
     * The provider of {@code type} in {@code family}, or null with the component marked FAILED (no type) or
     * WAITING (no bundle provides it yet).
     */
    Provider provider(ComponentKey component, Map<String, String> props, ComponentKind family, String type,
            String typeKey) {
        if (type == null || type.isBlank()) {
            board.invalid(component, props, typeKey, "no type is configured");
            return null;
        }
        Provider provider = env.lookup(family, type.trim());
        if (provider == null) {
            board.waiting(component, props, "no installed bundle provides " + StatusBoard.kindName(family)
                    + " type '" + type.trim() + "' (key '" + typeKey + "')");
        }
        return provider;
    }

    /** Where one component's lookups of named parts are found, and recorded for the runtime. */
    PartLookups parts() {
        return new PartLookups(env::lookupPart);
    }

    /** Converts the configuration to the factory's declared type, so a bad value fails here, by key. */
    void checkConfiguration(Provider provider, Map<String, String> props, String name) throws ConfigurationException {
        checkConfiguration(provider, props, agent, name);
    }

    /** The same for a component of {@code agent} built outside an agent ({@code sluice test}). */
    static void checkConfiguration(Provider provider, Map<String, String> props, String agent, String name)
            throws ConfigurationException {
        Class<?> type = provider.factory().configurationType();
        if (type != null) {
            TypedConfiguration.view(type, props, agent, name);
        }
    }

    /** Stops a part; a failure is reported and the stopping of the others goes on. */
    void stopQuietly(Lifecycle component, String what) {
        try {
            component.stop();
        } catch (RuntimeException | LinkageError e) {
            LOG.error("Agent {}: {} failed to stop cleanly", agent, what, e);
        }
    }
}
