package org.sluice.flume;

import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWiring;

/** Where the classes a factory makes come from: a plugin bundle (or, in tests, a class loader). */
interface PluginClasses {

    Class<?> loadClass(String name) throws ClassNotFoundException;

    /** The loader the plugin's code runs with as its thread context class loader. */
    ClassLoader classLoader();

    /** The plugin, for messages. */
    String name();

    static PluginClasses of(Bundle bundle) {
        return new PluginClasses() {
            @Override
            public Class<?> loadClass(String name) throws ClassNotFoundException {
                return bundle.loadClass(name);
            }

            @Override
            public ClassLoader classLoader() {
                return bundle.adapt(BundleWiring.class).getClassLoader();
            }

            @Override
            public String name() {
                return bundle.getSymbolicName() + " " + bundle.getVersion();
            }
        };
    }

    static PluginClasses of(ClassLoader loader, String name) {
        return new PluginClasses() {
            @Override
            public Class<?> loadClass(String className) throws ClassNotFoundException {
                return Class.forName(className, false, loader);
            }

            @Override
            public ClassLoader classLoader() {
                return loader;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
