package org.sluice.platform.runtime;

import java.util.List;

import org.sluice.api.component.ComponentFactory;

/**
 * A factory service as the runtime knows it: the factory, the type names it answers to, and the bundle that
 * registered it (shown by the shell, and the unit that goes away when the bundle stops).
 *
 * @param serviceId the service's id; identifies the registration
 * @param ranking   its service ranking; the highest wins when two bundles offer one type
 */
public record Provider(ComponentFactory<?, ?> factory, List<String> types, long serviceId, int ranking, String bundle,
        String version) {

    /** The better of two providers of a type: highest ranking, then the first registered (OSGi's order). */
    boolean betterThan(Provider other) {
        if (ranking != other.ranking) {
            return ranking > other.ranking;
        }
        return serviceId < other.serviceId;
    }

    @Override
    public String toString() {
        return bundle + " " + version;
    }
}
