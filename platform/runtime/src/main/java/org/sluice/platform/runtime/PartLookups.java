package org.sluice.platform.runtime;

import java.util.ArrayList;
import java.util.List;

import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.ProviderUnavailableException;

/**
 * The named parts (a serializer, a regex_extractor serializer) one component looked up through its context while it
 * was made: the runtime adds their providers to the component's, so that it stops the component before such a
 * provider's bundle goes, and makes it again when a provider is back. Used on the agent's pass thread only.
 */
final class PartLookups {
    /** Finds the best provider of a part type, or null. */
    @FunctionalInterface
    interface Finder {
        Provider find(Class<?> service, String type);
    }

    /** For contexts whose components look nothing up (channels, selectors, processors). */
    static PartLookups none() {
        return new PartLookups((service, type) -> null);
    }

    private final Finder finder;
    private final List<Provider> used = new ArrayList<>();

    PartLookups(Finder finder) {
        this.finder = finder;
    }

    <S> S lookup(String agent, String component, Class<S> service, String type, String key)
            throws ConfigurationException {
        String name = type == null ? "" : type.trim();
        if (name.isEmpty()) {
            throw new ConfigurationException(agent, component, key, "is empty; name a " + service.getSimpleName());
        }
        Provider provider = finder.find(service, name);
        if (provider == null) {
            throw new ProviderUnavailableException(agent, component, key, "no installed bundle provides "
                    + service.getSimpleName() + " type '" + name + "'");
        }
        used.add(provider);
        return service.cast(provider.service());
    }

    /** The providers of what was looked up so far, in order. */
    List<Provider> used() {
        return List.copyOf(used);
    }
}
