package org.sluice.flume;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import aQute.bnd.osgi.Analyzer;
import aQute.bnd.osgi.Constants;
import aQute.bnd.osgi.FileResource;
import aQute.bnd.osgi.Jar;

/**
 * Makes a bundle of a Flume plugin: its jars go in whole, each on the bundle's class path (so a plugin's libraries
 * are its own and two plugins' libraries never meet), its native libraries in {@code native/} named by
 * {@code Bundle-NativeCode}, and bnd's Analyzer writes the manifest from the classes:
 * <ul>
 * <li>{@code Require-Bundle} on this bridge: Flume's API and the libraries of Flume's {@code lib/} come first, as on
 * Flume's class path, and a plugin that put its own classes into a Flume package (a common shortcut) still finds
 * Flume's classes of that package;</li>
 * <li>every other package the classes refer to is imported optionally, and {@code DynamicImport-Package: *} lets
 * classes loaded by name find any exported package, as a flat class path would;</li>
 * <li>{@value PluginComponents#HEADER} lists the Flume components found ({@link ComponentScanner}), which the
 * {@link FlumePluginExtender} offers to the agent.</li>
 * </ul>
 */
final class PluginBundleMaker {
    static final String BRIDGE = "org.sluice.flume";

    private final ClassLoader flumeApi;

    /** @param flumeApi a class loader that sees Flume's API (the bridge's own) */
    PluginBundleMaker(ClassLoader flumeApi) {
        this.flumeApi = flumeApi;
    }

    /** Writes the bundle to {@code target}; returns the components it provides. */
    PluginComponents make(PluginSource source, File target) throws Exception {
        try (Jar bundle = new Jar(source.symbolicName()); Analyzer analyzer = new Analyzer()) {
            List<String> classPath = new ArrayList<>();
            int index = 0;
            for (Path entry : source.classPath()) {
                index++;
                if (Files.isDirectory(entry)) {
                    String prefix = "classes" + index + "/";
                    addDirectory(bundle, entry, prefix);
                    classPath.add(prefix.substring(0, prefix.length() - 1));
                } else {
                    String name = "lib/" + index + "-" + entry.getFileName();
                    bundle.putResource(name, new FileResource(entry));
                    classPath.add(name);
                }
            }
            List<String> natives = new ArrayList<>();
            for (Path library : source.nativeLibraries()) {
                String name = "native/" + library.getFileName();
                bundle.putResource(name, new FileResource(library));
                natives.add(name);
            }
            analyzer.setJar(bundle);
            analyzer.setProperty(Constants.BUNDLE_MANIFESTVERSION, "2");
            analyzer.setProperty(Constants.BUNDLE_SYMBOLICNAME, source.symbolicName());
            analyzer.setProperty(Constants.BUNDLE_VERSION, source.version());
            analyzer.setProperty(Constants.BUNDLE_NAME, "Flume plugin " + source.name());
            analyzer.setProperty(Constants.BUNDLE_CLASSPATH, classPath.isEmpty() ? "." : String.join(",", classPath));
            analyzer.setProperty(Constants.REQUIRE_BUNDLE, BRIDGE);
            // Flume's packages come with the required bridge; Sluice's API packages are named so that the plugin and
            // the platform agree on the factory services the bridge registers for it.
            analyzer.setProperty(Constants.IMPORT_PACKAGE, "!org.apache.flume.*,"
                    + "org.sluice.api.source;resolution:=optional,org.sluice.api.sink;resolution:=optional,"
                    + "org.sluice.api.channel;resolution:=optional,org.sluice.api.interceptor;resolution:=optional,"
                    + "org.sluice.api.selector;resolution:=optional,org.sluice.api.monitor;resolution:=optional,"
                    + "*;resolution:=optional");
            analyzer.setProperty(Constants.DYNAMICIMPORT_PACKAGE, "*");
            analyzer.setProperty(Constants.EXPORT_CONTENTS, source.exportPackages() ? "!org.apache.flume.*,*" : "");
            analyzer.setProperty(Constants.NOUSES, "true");
            analyzer.setProperty(Constants.NOEXTRAHEADERS, "true");
            analyzer.setProperty("-noimportjava", "true");
            analyzer.setProperty(Constants.REMOVEHEADERS, "Private-Package,Include-Resource,Bnd-LastModified");
            if (!natives.isEmpty()) {
                // One clause for every environment, made optional: a plugin's native/ holds what its host needs.
                analyzer.setProperty(Constants.BUNDLE_NATIVECODE, String.join(";", natives) + ",*");
            }
            Manifest manifest = analyzer.calcManifest();
            PluginComponents components = new ComponentScanner(analyzer.getClassspace(), flumeApi).scan();
            if (!components.isEmpty()) {
                manifest.getMainAttributes().putValue(PluginComponents.HEADER, components.header());
            }
            bundle.setManifest(manifest);
            bundle.write(target);
            return components;
        }
    }

    private static void addDirectory(Jar bundle, Path directory, String prefix) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String relative = directory.relativize(file).toString().replace(File.separatorChar, '/');
                bundle.putResource(prefix + relative, new FileResource(file));
            }
        }
    }
}
