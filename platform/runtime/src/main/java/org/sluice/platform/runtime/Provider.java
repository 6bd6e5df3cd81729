package org.sluice.platform.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.sluice.api.component.ComponentFactory;

/**
 * A factory service as the runtime knows it: the factory, the type names it answers to, and the bundle that
 * registered it (shown by the shell, and the unit that goes away when the bundle stops). A component's factory is a
 * {@link ComponentFactory}; a named part a component looks up ({@code ComponentContext.lookup}), such as a
 * serializer, is a service of the part's own interface.
 *
 * @param service   the registered service
 * @param serviceId the service's id; identifies the registration
 * @param ranking   its service ranking; the highest wins when two bundles offer one type
 */
public record Provider(Object service, List<String> types, long serviceId, int ranking, String bundle,
        String version) {

    /** The service as a component factory; only for providers of the component families. */
    ComponentFactory<?, ?> factory() {
        return (ComponentFactory<?, ?>) service;
    }

    /**
     * The provider a factory (or named part) service is: its types ({@link ComponentFactory#TYPE}), id, ranking and
     * bundle.
     */
    static Provider of(Object service, ServiceReference<?> reference) {
        Object ranking = reference.getProperty(Constants.SERVICE_RANKING);
        return new Provider(service, typesOf(reference.getProperty(ComponentFactory.TYPE)),
                serviceId(reference), ranking instanceof Integer ? (Integer) ranking : 0,
                reference.getBundle().getSymbolicName(), reference.getBundle().getVersion().toString());
    }

    /** The id of the registration, which identifies a provider. */
    static long serviceId(ServiceReference<?> reference) {
        return (Long) reference.getProperty(Constants.SERVICE_ID);
    }

    private static List<String> typesOf(Object property) {
        List<String> types = new ArrayList<>();
        if (property instanceof String) {
            types.add(((String) property).trim());
        } else if (property instanceof String[]) {
            for (String type : (String[]) property) {
                types.add(type.trim());
            }
        } else if (property instanceof Collection) {
            for (Object type : (Collection<?>) property) {
                types.add(String.valueOf(type).trim());
            }
        }
        return types;
    }

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
