package org.sluice.itests.osgi.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import javax.xml.parsers.DocumentBuilderFactory;

import org.sluice.api.component.ComponentFactory;
import org.sluice.api.component.ComponentKind;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The plugin bundles the build produced, indexed by the component types their DS factories declare
 * ({@code sluice.type} in OSGI-INF/*.xml). Tests name the Flume types they need ("memory", "file_roll"), not
 * artifact names, so they keep working however the plugin modules are cut.
 *
 * <p>Jars are looked for under the directory named by the system property {@value #PLUGINS_PROPERTY}, two levels
 * deep ({@code plugins/<module>/target/*.jar} and {@code plugins/<group>/<module>/target/*.jar}).
 */
public final class PluginCatalog {

    public static final String PLUGINS_PROPERTY = "sluice.itests.plugins";

    private static final Map<String, ComponentKind> FAMILIES = Map.of(
            "org.sluice.api.source.SourceFactory", ComponentKind.SOURCE,
            "org.sluice.api.channel.ChannelFactory", ComponentKind.CHANNEL,
            "org.sluice.api.sink.SinkFactory", ComponentKind.SINK,
            "org.sluice.api.sink.SinkProcessorFactory", ComponentKind.SINK_PROCESSOR,
            "org.sluice.api.sink.SinkSelectorFactory", ComponentKind.SINK_SELECTOR,
            "org.sluice.api.interceptor.InterceptorFactory", ComponentKind.INTERCEPTOR,
            "org.sluice.api.selector.ChannelSelectorFactory", ComponentKind.CHANNEL_SELECTOR);

    /** One plugin bundle. */
    public record PluginBundle(Path jar, String symbolicName) {
        public String location() {
            return jar.toUri().toString();
        }
    }

    private record TypeKey(ComponentKind kind, String type) {
        @Override
        public String toString() {
            return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + type;
        }
    }

    private final Path root;
    private final Map<TypeKey, PluginBundle> byType = new LinkedHashMap<>();

    private PluginCatalog(Path root) {
        this.root = root;
    }

    /** Indexes the jars under the plugins directory named by {@value #PLUGINS_PROPERTY}. */
    public static PluginCatalog load() {
        String dir = System.getProperty(PLUGINS_PROPERTY);
        if (dir == null) {
            throw new IllegalStateException("System property " + PLUGINS_PROPERTY
                    + " is not set: run the tests through Maven (failsafe sets it to the plugins directory)");
        }
        PluginCatalog catalog = new PluginCatalog(Paths.get(dir).toAbsolutePath().normalize());
        catalog.scan();
        return catalog;
    }

    /** The bundle whose factory of {@code kind} answers to {@code type}. */
    public PluginBundle bundleFor(ComponentKind kind, String type) {
        PluginBundle bundle = byType.get(new TypeKey(kind, type));
        if (bundle == null) {
            throw new IllegalStateException("No plugin bundle under " + root + " provides the "
                    + kind.name().toLowerCase(java.util.Locale.ROOT) + " type '" + type
                    + "'. Build the plugins first (mvn install); types found: " + byType.keySet());
        }
        return bundle;
    }

    private void scan() {
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("Plugins directory " + root + " does not exist");
        }
        try (Stream<Path> files = Files.find(root, 4, (path, attributes) -> attributes.isRegularFile()
                && path.getParent().getFileName().toString().equals("target") && isMainJar(path))) {
            files.sorted().forEach(this::index);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot scan " + root + " for plugin bundles", e);
        }
    }

    private static boolean isMainJar(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(".jar") && !name.endsWith("-sources.jar") && !name.endsWith("-tests.jar")
                && !name.endsWith("-javadoc.jar");
    }

    private void index(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes main = file.getManifest() == null ? null : file.getManifest().getMainAttributes();
            String components = main == null ? null : main.getValue("Service-Component");
            if (components == null) {
                return;
            }
            String symbolicName = main.getValue("Bundle-SymbolicName").split(";")[0].trim();
            PluginBundle bundle = new PluginBundle(jar, symbolicName);
            for (String descriptor : components.split(",")) {
                ZipEntry entry = file.getEntry(descriptor.trim());
                if (entry != null) {
                    try (InputStream in = file.getInputStream(entry)) {
                        indexDescriptor(in, bundle);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read plugin jar " + jar, e);
        }
    }

    private void indexDescriptor(InputStream in, PluginBundle bundle) throws IOException {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            document = factory.newDocumentBuilder().parse(in);
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IOException("Bad component descriptor in " + bundle.jar(), e);
        }
        List<ComponentKind> kinds = new ArrayList<>();
        NodeList provides = document.getElementsByTagName("provide");
        for (int i = 0; i < provides.getLength(); i++) {
            ComponentKind kind = FAMILIES.get(((Element) provides.item(i)).getAttribute("interface"));
            if (kind != null) {
                kinds.add(kind);
            }
        }
        NodeList properties = document.getElementsByTagName("property");
        for (int i = 0; i < properties.getLength(); i++) {
            Element property = (Element) properties.item(i);
            if (!ComponentFactory.TYPE.equals(property.getAttribute("name"))) {
                continue;
            }
            List<String> types = new ArrayList<>();
            if (property.hasAttribute("value")) {
                types.add(property.getAttribute("value").trim());
            } else {
                for (String line : property.getTextContent().split("\n")) {
                    if (!line.isBlank()) {
                        types.add(line.trim());
                    }
                }
            }
            for (ComponentKind kind : kinds) {
                for (String type : types) {
                    byType.putIfAbsent(new TypeKey(kind, type), bundle);
                }
            }
        }
    }
}
