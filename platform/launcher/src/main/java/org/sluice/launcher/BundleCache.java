package org.sluice.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Felix's bundle cache kept from one start of an agent to the next, so that a start does not copy every bundle of
 * bundle/ and deploy/ into data/cache and unpack the libraries they embed again (some 200 MB with every plugin), and
 * the plugins start with the framework instead of after FileInstall's first scan.
 *
 * <p>bundle/ and deploy/ stay the whole truth at every start: a cached bundle is kept only if its jar is still
 * there, unchanged since the cache took it in, and every other bundle (one a shell installed from elsewhere, a jar
 * removed or replaced while the agent was stopped, a Flume plugin the flume bridge makes again) is uninstalled
 * before anything starts. "Unchanged" is the jar's size, modification time, inode change time and inode, recorded
 * when the bundle was installed or updated together with the bundle's own last-modified time, so that a jar copied
 * over with its old time kept still changes its inode change time. A change of lib/ (the framework and launcher) or
 * a file system without those attributes empties the cache, as every start used to.
 */
final class BundleCache {
    private static final Logger LOG = LoggerFactory.getLogger(BundleCache.class);
    /** In the cache directory itself, so that it goes when Felix empties the cache. */
    static final String RECORD_FILE = "sluice-bundles.properties";
    static final String LIB_KEY = "lib";
    private static final String BUNDLE_PREFIX = "bundle.";

    private final Layout layout;
    private final Path recordFile;
    private final Properties record = new Properties();
    private final boolean reusable;

    private BundleCache(Layout layout, Path recordFile, boolean reusable, Properties previous) {
        this.layout = layout;
        this.recordFile = recordFile;
        this.reusable = reusable;
        if (reusable) {
            record.putAll(previous);
        }
    }

    /** Reads what the previous start recorded and decides whether the cache can be kept at all. */
    static BundleCache open(Layout layout) {
        Path recordFile = layout.felixCache().resolve(RECORD_FILE);
        Properties previous = new Properties();
        boolean reusable = false;
        try {
            String lib = libFingerprint(layout.home().resolve("lib"));
            if (Files.isRegularFile(recordFile)) {
                try (InputStream in = Files.newInputStream(recordFile)) {
                    previous.load(in);
                }
                reusable = lib.equals(previous.getProperty(LIB_KEY));
                if (!reusable) {
                    LOG.info("lib/ changed since the bundle cache was filled: it is emptied");
                }
            }
            previous.setProperty(LIB_KEY, lib);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            LOG.info("The bundle cache is emptied at this start ({})", e.toString());
            previous.clear();
            return new BundleCache(layout, recordFile, false, previous);
        }
        BundleCache cache = new BundleCache(layout, recordFile, reusable, previous);
        cache.record.setProperty(LIB_KEY, previous.getProperty(LIB_KEY));
        return cache;
    }

    /**
     * The framework properties for this start: Felix keeps its cache when it can be reused, and empties it on the
     * first init otherwise (as the properties say by default).
     */
    void configure(Map<String, Object> properties) {
        if (reusable) {
            properties.remove(Constants.FRAMEWORK_STORAGE_CLEAN);
        } else {
            properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        }
    }

    boolean reusable() {
        return reusable;
    }

    /**
     * After the framework's init, before its start: uninstalls every cached bundle that is not an unchanged jar of
     * bundle/ or deploy/ (or that this run leaves out), marks the kept deploy/ bundles to start at their start level,
     * and from now on records every bundle installed or updated from those directories.
     *
     * @param pluginStartLevel the start level of a jar of deploy/ ({@link StartLevels#PLUGINS}, or later for one the
     *                         configuration does not name)
     * @return the locations of the deploy/ bundles kept
     */
    List<String> prune(BundleContext context, Predicate<String> leftOut, ToIntFunction<Path> pluginStartLevel)
            throws IOException {
        Set<Path> kernelJars = new HashSet<>();
        for (KernelBundle kernelBundle : KernelBundle.in(layout.bundles())) {
            kernelJars.add(kernelBundle.jar().toAbsolutePath().normalize());
        }
        Set<Path> deployJars = new HashSet<>();
        for (Path jar : KernelBundle.jarsIn(layout.deploy())) {
            deployJars.add(jar.toAbsolutePath().normalize());
        }
        List<String> keptPlugins = new ArrayList<>();
        int uninstalled = 0;
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getBundleId() == 0) {
                continue;
            }
            Optional<Path> jar = jarOf(bundle.getLocation());
            boolean kernel = jar.isPresent() && kernelJars.contains(jar.get());
            boolean plugin = jar.isPresent() && deployJars.contains(jar.get());
            boolean keep = reusable && (kernel || plugin) && unchanged(bundle, jar.get())
                    && !(kernel && leftOut.test(bundle.getSymbolicName() == null ? "" : bundle.getSymbolicName()));
            if (!keep) {
                record.remove(BUNDLE_PREFIX + bundle.getLocation());
                uninstall(bundle);
                uninstalled++;
            } else if (plugin) {
                try {
                    bundle.adapt(org.osgi.framework.startlevel.BundleStartLevel.class)
                            .setStartLevel(pluginStartLevel.applyAsInt(jar.get()));
                    if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                        bundle.start();
                    }
                } catch (BundleException e) {
                    throw new IOException("Cannot mark the cached plugin " + bundle.getLocation() + " to start", e);
                }
                keptPlugins.add(bundle.getLocation());
            }
        }
        // Forget what is no longer in the cache.
        record.stringPropertyNames().stream().filter(key -> key.startsWith(BUNDLE_PREFIX))
                .filter(key -> context.getBundle(key.substring(BUNDLE_PREFIX.length())) == null)
                .forEach(record::remove);
        if (reusable) {
            LOG.info("Bundle cache reused: {} plugins of deploy/ kept, {} cached bundles uninstalled", keptPlugins.size(),
                    uninstalled);
        }
        context.addBundleListener(recorder());
        save();
        return keptPlugins;
    }

    /**
     * Records each bundle of bundle/ or deploy/ as it is installed or updated, in the installing thread (so that the
     * record is written before the install returns); forgets it when uninstalled.
     */
    private SynchronousBundleListener recorder() {
        return event -> {
            Bundle bundle = event.getBundle();
            String key = BUNDLE_PREFIX + bundle.getLocation();
            try {
                switch (event.getType()) {
                    case BundleEvent.INSTALLED, BundleEvent.UPDATED -> {
                        Optional<Path> jar = jarOf(bundle.getLocation());
                        if (jar.isEmpty() || !Files.isRegularFile(jar.get())) {
                            return;
                        }
                        record.setProperty(key, fingerprint(jar.get()) + "|" + bundle.getLastModified());
                        save();
                    }
                    case BundleEvent.UNINSTALLED -> {
                        if (record.remove(key) != null) {
                            save();
                        }
                    }
                    default -> {
                        // nothing else changes what the cache holds
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Without the record the bundle is installed afresh at the next start: slower, never wrong.
                LOG.warn("Cannot record {} in {}: it is installed afresh at the next start ({})", bundle.getLocation(),
                        recordFile, e.toString());
            }
        };
    }

    private boolean unchanged(Bundle bundle, Path jar) {
        String recorded = record.getProperty(BUNDLE_PREFIX + bundle.getLocation());
        if (recorded == null || !Files.isRegularFile(jar)) {
            return false;
        }
        try {
            return recorded.equals(fingerprint(jar) + "|" + bundle.getLastModified());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private synchronized void save() throws IOException {
        Properties copy = new Properties();
        copy.putAll(record);
        PropertiesFile.store(recordFile, copy, "What Sluice's launcher knows of Felix's bundle cache (see BundleCache)");
    }

    private static void uninstall(Bundle bundle) throws IOException {
        try {
            bundle.uninstall();
        } catch (BundleException e) {
            throw new IOException("Cannot uninstall the cached bundle " + bundle.getLocation(), e);
        }
    }

    /** The jar a {@code file:} location names, if it does. */
    static Optional<Path> jarOf(String location) {
        if (location == null || !location.startsWith("file:")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(URI.create(location)).toAbsolutePath().normalize());
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Size, modification time, inode change time and inode of a file: any write, replacement or copy over it changes
     * one of them, even when the modification time is set back.
     *
     * @throws UnsupportedOperationException on a file system without unix attributes
     */
    static String fingerprint(Path file) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino");
        return attributes.get("size") + ":" + attributes.get("lastModifiedTime") + ":" + attributes.get("ctime") + ":"
                + attributes.get("ino");
    }

    private static String libFingerprint(Path lib) throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path jar : KernelBundle.jarsIn(lib)) {
            all.append(jar.getFileName()).append('=').append(fingerprint(jar)).append(';');
        }
        return all.toString();
    }
}
