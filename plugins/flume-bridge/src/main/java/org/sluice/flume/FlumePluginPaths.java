package org.sluice.flume;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flume's other two ways of adding plugins, from the launcher's options:
 * <ul>
 * <li>each directory of the plugins path ({@code --plugins-path}, framework property {@value #PLUGINS_PATH}; by
 * default {@code $SLUICE_HOME/plugins.d}) is watched by a FileInstall watcher of its own, so each of its plugin
 * directories becomes a bundle ({@link FlumePluginTransformer}) and goes live, is updated or removed as it changes;</li>
 * <li>the class path ({@code --classpath} and {@code FLUME_CLASSPATH}, framework property {@value #CLASS_PATH}) is
 * made into one bundle, {@value #CLASS_PATH_BSN}, since its entries shared one flat class path in Flume.</li>
 * </ul>
 */
@Component(immediate = true)
public final class FlumePluginPaths {
    static final String PLUGINS_PATH = "sluice.flume.plugins.path";
    static final String CLASS_PATH = "sluice.flume.classpath";
    static final String CLASS_PATH_BSN = "flume.classpath";
    static final String CLASS_PATH_LOCATION = "flume:classpath";
    private static final String FILE_INSTALL = "org.apache.felix.fileinstall";
    private static final String MARK = "sluice.flume.plugins";
    private static final Logger LOG = LoggerFactory.getLogger(FlumePluginPaths.class);

    private final ConfigurationAdmin configurations;
    private final List<Configuration> watchers = new ArrayList<>();

    @Activate
    public FlumePluginPaths(BundleContext context, @Reference ConfigurationAdmin configurations) throws IOException {
        this.configurations = configurations;
        forgetWatchersOfEarlierRuns();
        String path = context.getProperty(PLUGINS_PATH);
        if (path == null) {
            String home = context.getProperty("sluice.home");
            path = home == null ? null : Paths.get(home, "plugins.d").toString();
        }
        if (path != null) {
            int index = 0;
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    watch(Paths.get(entry.trim()).toAbsolutePath().normalize(), index++);
                }
            }
        }
        installClassPath(context, context.getProperty(CLASS_PATH));
    }

    @Deactivate
    void deactivate() {
        for (Configuration watcher : watchers) {
            try {
                watcher.delete();
            } catch (IOException | IllegalStateException e) {
                LOG.debug("FileInstall watcher {} already gone", watcher, e);
            }
        }
        watchers.clear();
    }

    /** As Flume: a plugins path entry that is not a directory is passed over. */
    private void watch(Path directory, int index) throws IOException {
        if (!Files.isDirectory(directory)) {
            LOG.info("Flume plugins directory {} does not exist; nothing is loaded from it", directory);
            return;
        }
        Configuration watcher = configurations.getFactoryConfiguration(FILE_INSTALL, "flume-plugins-" + index, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("felix.fileinstall.dir", directory.toString());
        // Only directories (each a plugin) are read: the filter, which applies to files alone, admits none.
        properties.put("felix.fileinstall.filter", "^$");
        properties.put("felix.fileinstall.subdir.mode", "jar");
        // The polling scanner: the NIO one applies the filter to files inside plugin directories too.
        properties.put("felix.fileinstall.disableNio2", "true");
        properties.put("felix.fileinstall.poll", "1000");
        properties.put("felix.fileinstall.noInitialDelay", "true");
        properties.put("felix.fileinstall.start.level", "5");
        properties.put("felix.fileinstall.bundles.new.start", "true");
        properties.put("felix.fileinstall.log.level", "3");
        properties.put(MARK, "true");
        watcher.update(properties);
        watchers.add(watcher);
        LOG.info("Loading the Flume plugins of {}", directory);
    }

    private void forgetWatchersOfEarlierRuns() throws IOException {
        try {
            Configuration[] earlier = configurations.listConfigurations("(" + MARK + "=true)");
            if (earlier != null) {
                for (Configuration configuration : earlier) {
                    configuration.delete();
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Flume's class path entries: jars, directories of classes, and {@code dir/*} for every jar of a directory. */
    static List<Path> classPathEntries(String classPath) throws IOException {
        List<Path> entries = new ArrayList<>();
        if (classPath == null) {
            return entries;
        }
        for (String entry : classPath.split(File.pathSeparator)) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("/*") || trimmed.equals("*")) {
                Path directory = Paths.get(trimmed.substring(0, trimmed.length() - 1).isEmpty() ? "."
                        : trimmed.substring(0, trimmed.length() - 1));
                if (Files.isDirectory(directory)) {
                    List<Path> jars = new ArrayList<>();
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.{jar,JAR}")) {
                        files.forEach(jars::add);
                    }
                    jars.sort(null);
                    entries.addAll(jars);
                }
            } else {
                Path path = Paths.get(trimmed);
                if (Files.exists(path)) {
                    entries.add(path.toAbsolutePath().normalize());
                } else {
                    LOG.warn("Flume class path entry {} does not exist; it is left out", path);
                }
            }
        }
        return entries;
    }

    private void installClassPath(BundleContext context, String classPath) throws IOException {
        List<Path> entries = classPathEntries(classPath);
        Bundle existing = context.getBundle(CLASS_PATH_LOCATION);
        if (entries.isEmpty()) {
            if (existing != null) {
                uninstall(existing);
            }
            return;
        }
        Path work = Files.createTempDirectory("sluice-flume-classpath-");
        try {
            File bundle = work.resolve("flume-classpath.jar").toFile();
            PluginComponents components = new PluginBundleMaker(FlumePluginPaths.class.getClassLoader()).make(
                    new PluginSource(CLASS_PATH_BSN, "0.0.0", "class path", entries, List.of(), true), bundle);
            try (InputStream in = Files.newInputStream(bundle.toPath())) {
                Bundle installed;
                if (existing == null) {
                    installed = context.installBundle(CLASS_PATH_LOCATION, in);
                } else {
                    existing.update(in);
                    installed = existing;
                }
                installed.start();
            }
            LOG.info("Flume class path {} is bundle {}; Flume components: {}", entries, CLASS_PATH_BSN,
                    components.isEmpty() ? "none" : components.classes().keySet());
        } catch (Exception e) {
            LOG.error("Could not make a bundle of the Flume class path {}; its plugins are not loaded", entries, e);
        } finally {
            FlumePluginTransformer.deleteTree(work);
        }
    }

    private static void uninstall(Bundle bundle) {
        try {
            bundle.uninstall();
        } catch (BundleException e) {
            LOG.warn("Could not uninstall the earlier Flume class path bundle", e);
        }
    }
}
