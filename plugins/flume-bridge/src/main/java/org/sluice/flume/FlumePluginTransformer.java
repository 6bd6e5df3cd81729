package org.sluice.flume;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.apache.felix.fileinstall.ArtifactListener;
import org.apache.felix.fileinstall.ArtifactTransformer;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FileInstall's hook for what is not a bundle: a plain Flume plugin jar, or a Flume plugin directory
 * ({@code lib/}, {@code libext/}, {@code native/}), dropped into a watched directory (deploy/, or a plugins.d
 * directory) becomes a bundle made by {@link PluginBundleMaker}. FileInstall installs it under the file's own
 * location, so replacing the file updates the bundle and deleting it uninstalls the bundle, as for a native bundle:
 * the platform stops what the plugin made first, and events committed to channels stay.
 */
@Component(service = {ArtifactTransformer.class, ArtifactListener.class})
public final class FlumePluginTransformer implements ArtifactTransformer {
    private static final Logger LOG = LoggerFactory.getLogger(FlumePluginTransformer.class);

    private final PluginBundleMaker maker = new PluginBundleMaker(FlumePluginTransformer.class.getClassLoader());

    /**
     * A jar without a bundle manifest that holds classes (a plain jar), or whose top level is a plugin directory's
     * (FileInstall hands a directory over as a jar of its content). Bundles, configurations and anything else are
     * left to FileInstall's own handlers.
     */
    @Override
    public boolean canHandle(File artifact) {
        return kind(artifact) != Kind.OTHER;
    }

    @Override
    public File transform(File artifact, File tmpDir) throws Exception {
        String name = artifact.getName();
        Path work = Files.createTempDirectory(tmpDir.toPath(), "flume-plugin-");
        try {
            PluginSource source;
            if (kind(artifact) == Kind.PLUGIN_DIRECTORY) {
                unpack(artifact, work.resolve("content"));
                String directory = name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
                source = PluginLayout.read(work.resolve("content"), directory);
            } else {
                Path jar = work.resolve(name);
                Files.copy(artifact.toPath(), jar, StandardCopyOption.REPLACE_EXISTING);
                source = new PluginSource(PluginNames.jarSymbolicName(name), PluginNames.version(jar), name,
                        List.of(jar), List.of(), true);
            }
            File bundle = new File(tmpDir, source.symbolicName() + "-" + source.version() + ".jar");
            PluginComponents components = maker.make(source, bundle);
            LOG.info("Made bundle {} {} of Flume plugin {}; Flume components: {}", source.symbolicName(),
                    source.version(), source.name(), components.isEmpty() ? "none (a library)"
                            : components.classes().keySet());
            return bundle;
        } finally {
            deleteTree(work);
        }
    }

    private enum Kind { PLAIN_JAR, PLUGIN_DIRECTORY, OTHER }

    private static Kind kind(File artifact) {
        if (!artifact.isFile() || !artifact.getName().endsWith(".jar")) {
            return Kind.OTHER;
        }
        try (JarFile jar = new JarFile(artifact, false)) {
            Manifest manifest = jar.getManifest();
            if (manifest != null && manifest.getMainAttributes().getValue("Bundle-SymbolicName") != null) {
                return Kind.OTHER;
            }
            boolean classes = false;
            boolean pluginDirectories = false;
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements();) {
                String entry = entries.nextElement().getName();
                if (entry.endsWith(".class")) {
                    classes = true;
                    break;
                }
                if ((entry.startsWith("lib/") || entry.startsWith("libext/")) && entry.endsWith(".jar")
                        || entry.startsWith("native/") && !entry.endsWith("/")) {
                    pluginDirectories = true;
                }
            }
            return classes ? Kind.PLAIN_JAR : pluginDirectories ? Kind.PLUGIN_DIRECTORY : Kind.OTHER;
        } catch (IOException e) {
            return Kind.OTHER;
        }
    }

    private static void unpack(File jarFile, Path into) throws IOException {
        try (JarFile jar = new JarFile(jarFile, false)) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements();) {
                JarEntry entry = entries.nextElement();
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry " + entry.getName() + " of " + jarFile + " leaves its directory");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.debug("Could not delete {}", root, e);
        }
    }
}
