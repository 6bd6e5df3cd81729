package org.sluice.flume;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import aQute.bnd.version.MavenVersion;

/**
 * The symbolic name and version a plugin bundle gets. A plain jar keeps the name the file gives it, without its
 * version ({@code flume-irc-sink-1.11.0.jar} is {@code flume.jar.flume-irc-sink}), so a newer file of the same
 * plugin is a newer version of the same bundle; its version is the Maven version the jar records, else the one in
 * its file name, else its manifest's Implementation-Version. A plugin directory is {@code flume.plugin.<dir>}, at the
 * version of its first jar.
 */
final class PluginNames {
    private static final Pattern VERSIONED_FILE = Pattern.compile("(.+?)-(\\d+(?:\\.\\d+)*(?:[-.][A-Za-z0-9._-]+)?)\\.jar");
    private static final String NO_VERSION = "0.0.0";

    private PluginNames() {
    }

    static String jarSymbolicName(String fileName) {
        Matcher versioned = VERSIONED_FILE.matcher(fileName);
        String base = versioned.matches() ? versioned.group(1) : strip(fileName);
        return "flume.jar." + clean(base);
    }

    static String directorySymbolicName(String directoryName) {
        return "flume.plugin." + clean(strip(directoryName));
    }

    /** The OSGi version of a plugin jar. */
    static String version(Path jar) {
        String version = null;
        try (JarFile file = new JarFile(jar.toFile())) {
            version = mavenVersion(file);
            if (version == null) {
                Manifest manifest = file.getManifest();
                if (manifest != null) {
                    version = manifest.getMainAttributes().getValue("Implementation-Version");
                }
            }
        } catch (IOException e) {
            // Not readable as a jar: the bundle maker reports it.
        }
        if (version == null) {
            Matcher versioned = VERSIONED_FILE.matcher(jar.getFileName().toString());
            version = versioned.matches() ? versioned.group(2) : null;
        }
        return osgi(version);
    }

    static String osgi(String version) {
        if (version == null || version.isBlank()) {
            return NO_VERSION;
        }
        try {
            return MavenVersion.parseMavenString(version.trim()).getOSGiVersion().toString();
        } catch (RuntimeException e) {
            return NO_VERSION;
        }
    }

    private static String mavenVersion(JarFile file) throws IOException {
        for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements();) {
            JarEntry entry = entries.nextElement();
            if (entry.getName().startsWith("META-INF/maven/") && entry.getName().endsWith("/pom.properties")) {
                Properties properties = new Properties();
                try (InputStream in = file.getInputStream(entry)) {
                    properties.load(in);
                }
                return properties.getProperty("version");
            }
        }
        return null;
    }

    private static String strip(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
    }

    private static String clean(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
