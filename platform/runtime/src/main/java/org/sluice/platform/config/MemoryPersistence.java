package org.sluice.platform.config;

import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.felix.cm.NotCachablePersistenceManager;
import org.apache.felix.cm.PersistenceManager;
import org.osgi.service.component.annotations.Component;

/**
 * Where Config Admin keeps configurations: in memory only, never on disk. Felix's default persistence manager
 * writes every configuration to the framework's storage under {@code data/}, in clear text and readable by anyone
 * who can read the directory, and leaves it there after the agent stops; component configurations hold keystore
 * passwords and the values of config filters. Nothing is lost by keeping them in memory: Sluice empties the
 * framework's storage at every start anyway, and the properties file and {@code etc/} are read again then.
 *
 * <p>The launcher names this manager in {@code felix.cm.pm}; Config Admin waits for it before it starts.
 */
@Component(service = PersistenceManager.class, property = PersistenceManager.PROPERTY_NAME + "="
        + MemoryPersistence.NAME)
public final class MemoryPersistence implements NotCachablePersistenceManager {
    /** The value of {@code felix.cm.pm} that chooses this manager. */
    public static final String NAME = "sluice.memory";

    private final Map<String, Hashtable<Object, Object>> configurations = new ConcurrentHashMap<>();

    @Override
    public boolean exists(String pid) {
        return configurations.containsKey(pid);
    }

    // Felix's interface is raw (Dictionary, Enumeration): Config Admin stores String keys and typed values.
    @Override
    @SuppressWarnings("rawtypes")
    public Dictionary load(String pid) {
        Hashtable<Object, Object> stored = configurations.get(pid);
        return stored == null ? new Hashtable<>() : new Hashtable<>(stored);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Enumeration getDictionaries() {
        List<Dictionary<Object, Object>> copies = configurations.values().stream()
                .<Dictionary<Object, Object>>map(Hashtable::new).toList();
        return Collections.enumeration(copies);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void store(String pid, Dictionary properties) {
        Hashtable<Object, Object> copy = new Hashtable<>();
        for (Enumeration<?> keys = properties.keys(); keys.hasMoreElements();) {
            Object key = keys.nextElement();
            copy.put(key, properties.get(key));
        }
        configurations.put(pid, copy);
    }

    @Override
    public void delete(String pid) {
        configurations.remove(pid);
    }
}
