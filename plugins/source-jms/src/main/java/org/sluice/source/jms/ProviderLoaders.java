package org.sluice.source.jms;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider class loader per class path, shared by the sources that name the same jars (as every source shares
 * Flume's one class path): a provider's static state (Artemis's client thread pools, ActiveMQ's timers) then exists
 * once, not once per source restart. A jar replaced on disk makes a new loader at the next start. All are closed
 * when the bundle stops.
 */
final class ProviderLoaders {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderLoaders.class);

    private final Map<List<String>, ProviderClassLoader> loaders = new HashMap<>();
    private volatile ClassLoader jdk = ClassLoader.getPlatformClassLoader();

    /**
     * Where classes that are neither javax.jms, org.slf4j nor in the provider's jars come from: the JDK. Tests outside
     * a framework, whose provider is on their own class path, pass that class path's loader.
     */
    ProviderLoaders withFallback(ClassLoader fallback) {
        this.jdk = fallback;
        return this;
    }

    synchronized ClassLoader loaderFor(List<URL> urls) {
        List<String> key = new ArrayList<>();
        for (URL url : urls) {
            key.add(url + "@" + lastModified(url));
        }
        return loaders.computeIfAbsent(key, k -> {
            LOG.info("JMS provider class path: {}", urls.isEmpty() ? "(empty)" : urls);
            return new ProviderClassLoader(urls.toArray(new URL[0]), ProviderLoaders.class.getClassLoader(), jdk);
        });
    }

    synchronized void closeAll() {
        for (ProviderClassLoader loader : loaders.values()) {
            try {
                loader.close();
            } catch (IOException e) {
                LOG.warn("Could not close the JMS provider's jars", e);
            }
        }
        loaders.clear();
    }

    private static long lastModified(URL url) {
        try {
            Path path = Paths.get(url.toURI());
            return Files.isRegularFile(path) ? Files.getLastModifiedTime(path).toMillis() : 0L;
        } catch (IOException | java.net.URISyntaxException | IllegalArgumentException e) {
            return 0L;
        }
    }
}
