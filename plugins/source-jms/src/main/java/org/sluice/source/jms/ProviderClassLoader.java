package org.sluice.source.jms;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * Loads a JMS provider (its InitialContextFactory, connection factory and everything they need) from the provider's
 * plain jars. Its parent shares exactly two things with the jms bundle, javax.jms (so the provider's messages are the
 * {@code javax.jms.Message} the source and the converter bundles know) and org.slf4j (so the provider logs into the
 * agent's log); everything else comes from the JDK or the provider's own jars, so a provider's Netty or Jackson
 * never meets another bundle's. The jms source makes it the thread context class loader whenever it calls the
 * provider, which is where JNDI looks for the InitialContextFactory and for {@code jndi.properties}.
 */
final class ProviderClassLoader extends URLClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    ProviderClassLoader(URL[] urls, ClassLoader shared, ClassLoader jdk) {
        super("sluice-jms-provider", urls, new SharedApi(shared, jdk));
    }

    /** javax.jms and org.slf4j from the bundle, the rest from the JDK. */
    private static final class SharedApi extends ClassLoader {
        static {
            ClassLoader.registerAsParallelCapable();
        }

        private final ClassLoader shared;

        SharedApi(ClassLoader shared, ClassLoader jdk) {
            super("sluice-jms-shared", jdk);
            this.shared = shared;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("javax.jms.") || name.startsWith("org.slf4j.")) {
                return shared.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
