package org.sluice.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The component types a bundle registers, read from its Declarative Services descriptions (the XML files its
 * {@code Service-Component} header names, which bnd writes from {@code @Component} and {@code @SluiceType}): by
 * service interface, the names of the {@code sluice.type} property. What the service registry shows once the bundle
 * runs, read without running it, so a custom distribution finds a plugin by the type it provides rather than by its
 * symbolic name.
 */
final class DeclaredTypes {
    /** The service property that names a factory's types (the API's {@code ComponentFactory.TYPE}). */
    static final String TYPE_PROPERTY = "sluice.type";

    private DeclaredTypes() {
    }

    /** By service interface, the type names its components in {@code jar} register; empty for a library. */
    static Map<String, Set<String>> of(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String header = manifest == null ? null : manifest.getMainAttributes().getValue("Service-Component");
            Map<String, Set<String>> types = new LinkedHashMap<>();
            if (header == null) {
                return types;
            }
            for (String path : descriptions(file, header)) {
                JarEntry entry = file.getJarEntry(path);
                if (entry == null) {
                    throw new IOException(jar + ": its Service-Component header names " + path + ", which it lacks");
                }
                try (InputStream in = file.getInputStream(entry)) {
                    read(parse(in, jar + "!/" + path), types);
                }
            }
            return types;
        }
    }

    /** The header's paths; one with a wildcard in its file name (allowed by DS) stands for the jar's matching files. */
    private static List<String> descriptions(JarFile file, String header) {
        List<String> paths = new ArrayList<>();
        for (String clause : header.split(",")) {
            String path = clause.split(";")[0].trim();
            if (path.isEmpty()) {
                continue;
            }
            if (path.contains("*")) {
                Pattern pattern = Pattern.compile(Arrays.stream(path.split("\\*", -1)).map(Pattern::quote)
                        .reduce((a, b) -> a + "[^/]*" + b).orElse(""));
                file.stream().map(JarEntry::getName).filter(name -> pattern.matcher(name).matches())
                        .forEach(paths::add);
            } else {
                paths.add(path);
            }
        }
        return paths;
    }

    private static Document parse(InputStream in, String where) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            return builder.parse(in);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException(where + " is not a readable component description: " + e.getMessage(), e);
        }
    }

    /** A description file holds one component, or several under a root element of another namespace. */
    private static void read(Document document, Map<String, Set<String>> types) {
        NodeList components = document.getElementsByTagNameNS("*", "component");
        for (int i = 0; i < components.getLength(); i++) {
            Element component = (Element) components.item(i);
            Set<String> names = typeNames(component);
            NodeList provides = component.getElementsByTagNameNS("*", "provide");
            for (int j = 0; j < provides.getLength(); j++) {
                String service = ((Element) provides.item(j)).getAttribute("interface");
                types.computeIfAbsent(service, s -> new LinkedHashSet<>()).addAll(names);
            }
        }
    }

    /** A single value is the {@code value} attribute; several are the element's lines (DS 1.3, 112.4.5). */
    private static Set<String> typeNames(Element component) {
        Set<String> names = new LinkedHashSet<>();
        NodeList properties = component.getElementsByTagNameNS("*", "property");
        for (int i = 0; i < properties.getLength(); i++) {
            Element property = (Element) properties.item(i);
            if (!property.getAttribute("name").equals(TYPE_PROPERTY)) {
                continue;
            }
            if (property.hasAttribute("value")) {
                names.add(property.getAttribute("value").trim());
            } else {
                for (String line : property.getTextContent().split("\\R")) {
                    if (!line.isBlank()) {
                        names.add(line.trim());
                    }
                }
            }
        }
        return names;
    }
}
