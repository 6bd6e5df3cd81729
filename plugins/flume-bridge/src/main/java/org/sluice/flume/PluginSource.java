package org.sluice.flume;

import java.nio.file.Path;
import java.util.List;

/**
 * What a plugin bundle is made of: the jars (and class directories) of one flat Flume class path, the native
 * libraries beside them, and whether other bundles may use its packages.
 *
 * @param symbolicName   the bundle's symbolic name
 * @param version        the bundle's version, OSGi syntax
 * @param name           a name for people ({@code plugins.d/irc})
 * @param classPath      jars and directories of classes, in class path order
 * @param nativeLibraries files of a plugin's {@code native/} directory
 * @param exportPackages true for a plain jar dropped as a library for others; false for a plugin directory, whose
 *                       libraries are its own
 */
record PluginSource(String symbolicName, String version, String name, List<Path> classPath,
        List<Path> nativeLibraries, boolean exportPackages) {
}
