package org.sluice.source.jms;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.sluice.api.component.ComponentFactory;
import org.sluice.api.jms.JmsMessageConverterFactory;

/**
 * The converter factories other bundles registered, by the names in their {@code sluice.type} property, as the
 * platform finds component types: a class name matches exactly, a short name (no dot) in any case. The first
 * registered wins when two claim a name.
 */
final class ConverterRegistry {

    private record Entry(JmsMessageConverterFactory factory, List<String> names) {
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    void add(JmsMessageConverterFactory factory, Map<String, Object> properties) {
        entries.add(new Entry(factory, names(properties.get(ComponentFactory.TYPE))));
    }

    void add(JmsMessageConverterFactory factory, String... names) {
        entries.add(new Entry(factory, List.of(names)));
    }

    void remove(JmsMessageConverterFactory factory) {
        entries.removeIf(entry -> entry.factory() == factory);
    }

    /** The factory for a {@code converter.type} value, or null while no bundle provides it. */
    JmsMessageConverterFactory find(String type) {
        for (Entry entry : entries) {
            for (String name : entry.names()) {
                boolean className = name.indexOf('.') >= 0;
                if (className ? name.equals(type) : name.equalsIgnoreCase(type)) {
                    return entry.factory();
                }
            }
        }
        return null;
    }

    private static List<String> names(Object value) {
        List<String> names = new ArrayList<>();
        if (value instanceof String name) {
            names.add(name);
        } else if (value instanceof String[] array) {
            names.addAll(List.of(array));
        } else if (value instanceof Collection<?> collection) {
            for (Object name : collection) {
                names.add(String.valueOf(name));
            }
        }
        names.replaceAll(name -> name.trim());
        names.removeIf(String::isEmpty);
        return names;
    }

    @Override
    public String toString() {
        List<String> all = new ArrayList<>();
        for (Entry entry : entries) {
            all.addAll(entry.names());
        }
        return all.isEmpty() ? "none" : String.join(", ", all);
    }
}
