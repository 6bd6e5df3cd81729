package org.sluice.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component types each jar declares ({@link DeclaredTypes}), kept in a file from one start to the next and read
 * again only for a jar whose fingerprint ({@link BundleCache#fingerprint}) changed: reading the component
 * descriptions of every plugin of deploy/ (an XML parser over 35 jars) cost some 200 ms of CPU at every start.
 */
final class PluginTypeIndex {
    private static final Logger LOG = LoggerFactory.getLogger(PluginTypeIndex.class);
    static final String FILE = "sluice-plugin-types.properties";
    /** Between the fingerprint and each service interface, and between an interface and its type names. */
    private static final String LINE = "\n";
    private static final String FIELD = "\t";

    private PluginTypeIndex() {
    }

    /**
     * By jar, the type names its components register, by service interface (empty for a library).
     *
     * @param index the file that keeps them; written when a jar was read afresh, and never needed: without it the
     *              jars are read
     */
    static Map<Path, Map<String, Set<String>>> of(List<Path> jars, Path index) throws IOException {
        Properties known = new Properties();
        if (Files.isRegularFile(index)) {
            try (InputStream in = Files.newInputStream(index)) {
                known.load(in);
            } catch (IOException | IllegalArgumentException e) {
                LOG.debug("{} is not readable ({}): the plugins' types are read from their jars", index, e.toString());
                known.clear();
            }
        }
        Properties kept = new Properties();
        Map<Path, Map<String, Set<String>>> types = new LinkedHashMap<>();
        for (Path jar : jars) {
            String key = jar.toAbsolutePath().normalize().toString();
            String fingerprint = BundleCache.fingerprint(jar);
            String recorded = known.getProperty(key);
            Map<String, Set<String>> declared;
            if (recorded != null && recorded.startsWith(fingerprint + LINE)) {
                declared = decode(recorded.substring(fingerprint.length() + LINE.length()));
            } else {
                declared = DeclaredTypes.of(jar);
            }
            types.put(jar, declared);
            kept.setProperty(key, fingerprint + LINE + encode(declared));
        }
        if (!kept.equals(known)) {
            write(index, kept);
        }
        return types;
    }

    private static String encode(Map<String, Set<String>> declared) {
        StringBuilder text = new StringBuilder();
        declared.forEach((service, names) -> {
            if (text.length() > 0) {
                text.append(LINE);
            }
            text.append(service);
            names.forEach(name -> text.append(FIELD).append(name));
        });
        return text.toString();
    }

    private static Map<String, Set<String>> decode(String text) {
        Map<String, Set<String>> declared = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return declared;
        }
        for (String line : text.split(LINE)) {
            String[] fields = line.split(FIELD);
            declared.put(fields[0], new LinkedHashSet<>(Arrays.asList(fields).subList(1, fields.length)));
        }
        return declared;
    }

    private static void write(Path index, Properties kept) {
        try {
            PropertiesFile.store(index, kept, "The component types of each plugin jar, by its fingerprint (see "
                    + "PluginTypeIndex)");
        } catch (IOException e) {
            // Only slower: the jars are read again at the next start.
            LOG.debug("Cannot keep the plugins' types in {} ({})", index, e.toString());
        }
    }
}
