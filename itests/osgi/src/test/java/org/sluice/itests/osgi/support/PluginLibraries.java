package org.sluice.itests.osgi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

import org.sluice.itests.osgi.support.PluginCatalog.PluginBundle;

/**
 * The third-party bundles a plugin imports rather than embeds, as the distribution puts them in deploy/ beside
 * the plugins: the Avro set (Avro, Jackson, commons-compress, commons-io and the codec libraries), which the
 * spooldir and hdfs plugins import, and jackson-core alone, which the http plugin imports. Their files come from system
 * properties {@value #AVRO_PROPERTY} and {@value #JACKSON_PROPERTY}, set by Maven.
 */
public final class PluginLibraries {
    static final String AVRO_PROPERTY = "sluice.itests.libraries.avro";
    static final String JACKSON_PROPERTY = "sluice.itests.libraries.jackson";

    private PluginLibraries() {
    }

    /** The locations of the library bundles {@code plugin} imports; none for a plugin that imports none. */
    public static List<String> of(PluginBundle plugin) {
        if (imports(plugin.jar(), "org.apache.avro")) { // a plugin with Avro inside imports none of its packages
            return SluiceOptions.locationsListedIn(AVRO_PROPERTY);
        }
        if (imports(plugin.jar(), "com.fasterxml.jackson.core")) { // the http source's JSON handler
            return SluiceOptions.locationsListedIn(JACKSON_PROPERTY);
        }
        return List.of();
    }

    /** Whether the bundle imports the package, and not optionally. */
    private static boolean imports(Path jar, String packageName) {
        String imports;
        try (JarFile file = new JarFile(jar.toFile())) {
            imports = file.getManifest().getMainAttributes().getValue("Import-Package");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the manifest of " + jar, e);
        }
        if (imports == null) {
            return false;
        }
        // Clauses are separated by commas outside quotes (a version range has a comma inside its quotes).
        for (String clause : imports.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            String[] parts = clause.trim().split(";");
            if (parts[0].equals(packageName) && !clause.contains("resolution:=optional")) {
                return true;
            }
        }
        return false;
    }
}
