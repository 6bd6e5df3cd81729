package org.sluice.platform.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The factory services plugins registered, by family ({@code ComponentKind} for components, the service interface
 * for the named parts components look up), and which of them answers a type name. Thread-safe: its
 * monitor is held only for the look-up itself, and it takes no other lock, so agents may ask it under theirs.
 */
final class ProviderRegistry<F> {
    private final Map<F, List<Provider>> providers = new HashMap<>();

    synchronized void add(F family, Provider provider) {
        providers.computeIfAbsent(family, f -> new ArrayList<>()).add(provider);
    }

    /** Removes the registration with this service id; returns it, or null if it was not known. */
    synchronized Provider remove(F family, long serviceId) {
        List<Provider> list = providers.getOrDefault(family, List.of());
        Provider gone = list.stream().filter(p -> p.serviceId() == serviceId).findFirst().orElse(null);
        if (gone != null) {
            list.remove(gone);
        }
        return gone;
    }

    /** Every provider of every family. */
    synchronized Map<F, List<Provider>> all() {
        Map<F, List<Provider>> copy = new HashMap<>();
        providers.forEach((family, list) -> copy.put(family, List.copyOf(list)));
        return copy;
    }

    /**
     * The best provider of {@code type}: highest ranking, then the first registered. Flume's type aliases
     * ({@code memory}) match in any case, as Flume reads them; class names match exactly.
     */
    synchronized Provider find(F family, String type) {
        List<Provider> candidates = providers.getOrDefault(family, List.of());
        Provider best = null;
        for (Provider candidate : candidates) {
            if (candidate.types().contains(type) && (best == null || candidate.betterThan(best))) {
                best = candidate;
            }
        }
        if (best == null && type.indexOf('.') < 0) {
            for (Provider candidate : candidates) {
                boolean alias = candidate.types().stream().anyMatch(t -> t.indexOf('.') < 0 && t.equalsIgnoreCase(type));
                if (alias && (best == null || candidate.betterThan(best))) {
                    best = candidate;
                }
            }
        }
        return best;
    }
}
