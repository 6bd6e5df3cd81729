package org.sluice.source.jms;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loads a JMS provider (its InitialContextFactory, connection factory and everything they need) from the provider's
 * plain jars. Its parent shares exactly two things with the jms bundle, javax.jms (so the provider's messages are the
 * {@code javax.jms.Message} the source and the converter bundles know) and org.slf4j (so the provider logs into the
 * agent's log); everything else comes from the JDK or the provider's own jars, so a provider's Netty or Jackson
 * never meets another bundle's. The jms source makes it the thread context class loader whenever it calls the
 * provider, which is where JNDI looks for the InitialContextFactory and for {@code jndi.properties}. Closing it closes
 * the jars: a class not loaded by then can never be, so {@link ProviderLoaders} closes it only once nothing of the
 * provider runs.
 */
final class ProviderClassLoader extends URLClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private static final AtomicLong LOADERS = new AtomicLong();

    /**
     * Named {@code sluice-jms-provider-<n>}: stack frames carry the name of their class's loader, which is how
     * {@link ProviderLoaders#threadsOf} tells which threads run this loader's code. Another revision of this bundle
     * counts from 1 again: a clash only makes a loader wait for the other one's threads too.
     */
    ProviderClassLoader(URL[] urls, ClassLoader shared, ClassLoader jdk) {
        super("sluice-jms-provider-" + LOADERS.incrementAndGet(), urls, new SharedApi(shared, jdk));
    }

    private volatile boolean closed;

    /** The class of that name if this loader defined it already (never loads one). */
    Class<?> definedHere(String name) {
        Class<?> found = findLoadedClass(name);
        return found != null && found.getClassLoader() == this ? found : null;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        super.close();
    }

    /** Whether its jars were closed. */
    boolean isClosed() {
        return closed;
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
