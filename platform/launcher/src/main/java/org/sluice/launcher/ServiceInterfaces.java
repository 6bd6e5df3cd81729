package org.sluice.launcher;

/**
 * Services registered inside the framework implement interfaces the launcher's class loader does not see (Gogo's,
 * the platform's): the launcher finds the interface by name on the service object and calls it by reflection.
 */
final class ServiceInterfaces {
    private ServiceInterfaces() {
    }

    /** The interface called {@code name} that {@code service} implements, as its own class loader sees it. */
    static Class<?> named(Object service, String name) {
        for (Class<?> type = service.getClass(); type != null; type = type.getSuperclass()) {
            for (Class<?> candidate : type.getInterfaces()) {
                if (candidate.getName().equals(name)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException(service.getClass() + " does not implement " + name);
    }
}
