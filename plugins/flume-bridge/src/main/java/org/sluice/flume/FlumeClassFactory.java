package org.sluice.flume;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.flume.Context;
import org.apache.flume.NamedComponent;
import org.apache.flume.conf.Configurable;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.ComponentCounter;
import org.sluice.flume.counters.CounterScope;

/**
 * What the factories of every kind share: the Flume class of a plugin bundle that a configuration names, made as
 * Flume makes it (public no-argument constructor, {@code setName}, {@code configure(Context)} with the component's
 * keys), and every failure turned into a configuration error that names the agent, the component and the class.
 * Flume's own keys are the component's keys as written in the file; Sluice's bookkeeping keys are left out.
 */
abstract class FlumeClassFactory {
    private final PluginClasses plugin;
    private final String className;

    FlumeClassFactory(PluginClasses plugin, String className) {
        this.plugin = plugin;
        this.className = className;
    }

    String className() {
        return className;
    }

    /**
     * A new instance of the class, which must be a {@code type}; made on a {@link PluginCall} of the component, so
     * counter groups its constructor creates are the component's.
     */
    <T> T instantiate(Class<T> type, ComponentContext context, PluginCall call) throws ConfigurationException {
        return instantiate(type, context, call, "type");
    }

    /** As {@link #instantiate(Class, ComponentContext, PluginCall)}, for a class the component's {@code key} names. */
    <T> T instantiate(Class<T> type, ComponentContext context, PluginCall call, String key)
            throws ConfigurationException {
        Class<?> loaded;
        try {
            loaded = plugin.loadClass(className);
        } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
            throw context.configurationError(key, "Flume class " + className + " cannot be loaded from plugin "
                    + plugin.name() + ": " + e);
        }
        if (!type.isAssignableFrom(loaded)) {
            throw context.configurationError(key, "Flume class " + className + " is not a " + type.getName());
        }
        try {
            return type.cast(call.call(() -> loaded.getDeclaredConstructor().newInstance()));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
            throw context.configurationError(key, "Flume class " + className + " could not be made (Flume makes"
                    + " components with a public no-argument constructor): " + cause);
        }
    }

    /** How a Flume builder makes its part: {@code build(Context, stream)} with the stream at hand. */
    @FunctionalInterface
    interface Build<B, P> {
        P build(B builder, Context context);
    }

    /**
     * The part (a serializer, a deserializer) a Flume builder class of the plugin makes for {@code owner}, as Flume
     * makes it: the builder's no-argument constructor, then {@code build} with a {@code Context} of the owner's keys
     * under {@code keyPrefix}, on {@code call}. A failure, or nothing built, is a configuration error naming the key
     * the prefix belongs to ({@code sink.serializer}).
     */
    <B, P> P buildPart(Class<B> builderType, ComponentContext owner, String keyPrefix, PluginCall call,
            Build<B, P> build) throws ConfigurationException {
        String key = keyPrefix.endsWith(".") ? keyPrefix.substring(0, keyPrefix.length() - 1) : keyPrefix;
        B builder = instantiate(builderType, owner, call, key);
        P part;
        try {
            part = call.call(() -> build.build(builder, flumeContext(owner.subProperties(keyPrefix))));
        } catch (RuntimeException | LinkageError e) {
            throw owner.configurationError(key, "Flume builder " + className() + " failed to build: " + e);
        }
        if (part == null) {
            throw owner.configurationError(key, "Flume builder " + className() + " built nothing");
        }
        return part;
    }

    /** The call that runs the component's code: the plugin's class loader, the component's counters. */
    PluginCall call(ComponentContext context, String counterType, ComponentCounter counter) {
        return new PluginCall(plugin.classLoader(), new CounterScope(counterType, flumeName(context), counter));
    }

    /**
     * Names and configures the component as Flume does; a failure of its {@code configure} (Flume components throw
     * unchecked exceptions for bad keys) becomes a configuration error of the component.
     */
    static void configure(Object component, Map<String, String> properties, ComponentContext context,
            PluginCall call) throws ConfigurationException {
        try {
            call.run(() -> {
                if (component instanceof NamedComponent named) {
                    named.setName(flumeName(context));
                }
                if (component instanceof Configurable configurable) {
                    configurable.configure(flumeContext(properties));
                }
            });
        } catch (RuntimeException | LinkageError e) {
            throw context.configurationError(null, "Flume component " + component.getClass().getName()
                    + " refused its configuration: " + e);
        }
    }

    /** A Flume {@link Context} of the component's keys, without Sluice's own. */
    static Context flumeContext(Map<String, String> properties) {
        Map<String, String> flume = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            if (!key.startsWith("sluice.") && !key.startsWith("service.") && !key.startsWith("felix.")) {
                flume.put(key, value);
            }
        });
        return new Context(flume);
    }

    /** The name Flume gives the component: its own, without the owning source's ({@code i1} of {@code r1.interceptors.i1}). */
    static String flumeName(ComponentContext context) {
        String name = context.componentName();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }

    /** A Flume failure at start, with the component named. */
    static RuntimeException startFailure(String what, RuntimeException e) {
        return new IllegalStateException(what + " failed to start: " + e.getMessage(), e);
    }
}
