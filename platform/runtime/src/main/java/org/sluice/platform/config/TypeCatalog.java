package org.sluice.platform.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.sluice.api.component.ComponentKind;

/**
 * Which component types are installed right now, and what each accepts; implemented by the runtime from
 * the factory services in the registry, read by the validator.
 */
public interface TypeCatalog {

    /** The provider of {@code type} for components of {@code kind}, if a bundle offers one now. */
    Optional<TypeInfo> lookup(ComponentKind kind, String type);

    /**
     * When a component type last came or went ({@link System#currentTimeMillis()}), so that a caller can wait
     * for the plugins of a starting framework to settle; 0 for a catalog that never changes.
     */
    default long lastChangeMillis() {
        return 0L;
    }

    /**
     * What a provider declares.
     *
     * @param configurationType the factory's configuration annotation, or null for "any key"
     * @param openKeyPrefixes   key prefixes accepted beyond it
     * @param bundle            the providing bundle's symbolic name
     * @param version           its version
     * @param sinkSelectorKey     for a sink processor: which of its keys names a sink selector to take from the
     *                            registry, for given processor keys (null result: none); null for other kinds
     */
    record TypeInfo(Class<?> configurationType, Set<String> openKeyPrefixes, String bundle, String version,
            Function<Map<String, String>, String> sinkSelectorKey) {

        public TypeInfo(Class<?> configurationType, Set<String> openKeyPrefixes, String bundle, String version) {
            this(configurationType, openKeyPrefixes, bundle, version, null);
        }

        /** The key naming a sink selector in these processor keys, or null. */
        public String sinkSelectorKeyFor(Map<String, String> processorKeys) {
            return sinkSelectorKey == null ? null : sinkSelectorKey.apply(processorKeys);
        }
    }
}
