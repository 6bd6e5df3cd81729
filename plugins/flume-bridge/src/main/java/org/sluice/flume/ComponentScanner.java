package org.sluice.flume;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import aQute.bnd.osgi.Clazz;
import aQute.bnd.osgi.Descriptors.TypeRef;

/**
 * Finds the classes of a plugin that a Flume configuration can name: public, concrete classes that are a Flume source,
 * sink, channel, interceptor builder, channel selector, sink processor or load_balance sink selector. A class is one
 * when it, its superclasses or its interfaces lead to the Flume type: through classes of the plugin itself (read from
 * the class files bnd parsed) or through Flume's own classes (asked of the API classes this bundle carries, where
 * {@code AbstractSink} implements {@code Sink}). A chain that passes through a library neither holds is not followed.
 */
final class ComponentScanner {
    private final Map<String, Clazz> plugin = new HashMap<>();
    private final ClassLoader flume;
    private final Map<String, EnumMap<FlumeKind, Boolean>> memo = new HashMap<>();

    /**
     * @param classes the plugin's classes, by type
     * @param flume   a class loader that sees Flume's API
     */
    ComponentScanner(Map<TypeRef, Clazz> classes, ClassLoader flume) {
        classes.forEach((type, clazz) -> plugin.put(binaryName(type), clazz));
        this.flume = flume;
    }

    PluginComponents scan() {
        Map<String, FlumeKind> found = new TreeMap<>();
        for (Map.Entry<String, Clazz> entry : plugin.entrySet()) {
            Clazz clazz = entry.getValue();
            if (!clazz.isPublic() || clazz.isAbstract() || clazz.isInterface() || clazz.isEnum()
                    || clazz.isAnnotation()) {
                continue;
            }
            for (FlumeKind kind : FlumeKind.values()) {
                if (is(entry.getKey(), kind)) {
                    found.put(entry.getKey(), kind);
                    break;
                }
            }
        }
        return new PluginComponents(new LinkedHashMap<>(found));
    }

    private boolean is(String className, FlumeKind kind) {
        EnumMap<FlumeKind, Boolean> known = memo.computeIfAbsent(className, n -> new EnumMap<>(FlumeKind.class));
        Boolean cached = known.get(kind);
        if (cached != null) {
            return cached;
        }
        known.put(kind, Boolean.FALSE); // a cycle in broken class files ends here
        boolean result = className.equals(kind.flumeType) || inherits(className, kind);
        known.put(kind, result);
        return result;
    }

    private boolean inherits(String className, FlumeKind kind) {
        Clazz clazz = plugin.get(className);
        if (clazz == null) {
            return flumeClassIs(className, kind);
        }
        TypeRef superType = clazz.getSuper();
        if (superType != null && is(binaryName(superType), kind)) {
            return true;
        }
        TypeRef[] interfaces = clazz.getInterfaces();
        if (interfaces != null) {
            for (TypeRef type : interfaces) {
                if (is(binaryName(type), kind)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A class the plugin does not hold: one of Flume's API, or of the JDK (which is never a Flume type). */
    private boolean flumeClassIs(String className, FlumeKind kind) {
        if (!className.startsWith("org.apache.flume.")) {
            return false;
        }
        try {
            Class<?> type = Class.forName(kind.flumeType, false, flume);
            return type.isAssignableFrom(Class.forName(className, false, flume));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static String binaryName(TypeRef type) {
        return type.getBinary().replace('/', '.');
    }
}
