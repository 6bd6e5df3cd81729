package org.sluice.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Plugin jars as bnd writes them, with the component descriptions that declare their types. */
final class ComponentJars {
    private ComponentJars() {
    }

    /** A factory component with {@code @SluiceType} of several names. */
    static String component(String name, String service, String... types) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + name + "\">\n"
                + "  <property name=\"sluice.type\" type=\"String\">" + String.join("\n", types) + "</property>\n"
                + "  <service>\n    <provide interface=\"" + service + "\"/>\n  </service>\n"
                + "  <implementation class=\"" + name + "\"/>\n</scr:component>\n";
    }

    /** {@code directory/symbolicName.jar} with a Service-Component header (none if null) and these files. */
    static Path bundle(Path directory, String symbolicName, String header, Map<String, String> files)
            throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        if (header != null) {
            manifest.getMainAttributes().putValue("Service-Component", header);
        }
        Path jar = directory.resolve(symbolicName + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                jarOut.putNextEntry(new JarEntry(file.getKey()));
                jarOut.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                jarOut.closeEntry();
            }
        }
        return jar;
    }
}
