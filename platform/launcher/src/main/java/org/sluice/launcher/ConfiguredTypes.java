package org.sluice.launcher;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The type names an agent's Flume properties files give its components, read by the launcher before the kernel
 * starts so that it can start the plugins that provide them first ({@link DeferredPlugins}). Only what the launcher
 * needs for that: the platform reads and checks the configuration itself.
 *
 * @param componentTypes the values of the keys the runtime looks a factory up by: {@code <agent>.sources.r1.type},
 *                       {@code .channels.c1.type}, {@code .sinks.k1.type}, a source's {@code selector.type} and
 *                       {@code interceptors.i1.type}, a sink group's {@code processor.type}
 * @param values         every value of the agent's sources, channels, sinks and sink groups (a serializer a sink
 *                       looks up by name is one of them)
 */
record ConfiguredTypes(Set<String> componentTypes, Set<String> values) {

    /** The keys, after {@code <agent>.}, whose value is a component's type. */
    private static final Pattern COMPONENT_TYPE = Pattern.compile(
            "(sources|channels|sinks)\\.[^.]+\\.type|sources\\.[^.]+\\.selector\\.type"
                    + "|sources\\.[^.]+\\.interceptors\\.[^.]+\\.type|sinkgroups\\.[^.]+\\.processor\\.type");
    private static final Pattern COMPONENT_SECTION = Pattern.compile("(sources|channels|sinks|sinkgroups)\\..+");

    ConfiguredTypes {
        componentTypes = Set.copyOf(componentTypes);
        values = Set.copyOf(values);
    }

    /**
     * Reads {@code files} merged in order (a later file's key wins), as the platform merges them.
     *
     * @return empty when a file cannot be read as UTF-8 text: the platform will say why
     */
    static Optional<ConfiguredTypes> read(List<Path> files, String agent) {
        Properties merged = new Properties();
        for (Path file : files) {
            try {
                String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(
                        Files.readAllBytes(file))).toString();
                merged.load(new StringReader(text));
            } catch (IOException | IllegalArgumentException e) {
                // Not UTF-8 text (CharacterCodingException), unreadable, or a malformed unicode escape.
                return Optional.empty();
            }
        }
        String prefix = agent + ".";
        Set<String> componentTypes = new LinkedHashSet<>();
        Set<String> values = new LinkedHashSet<>();
        for (String key : merged.stringPropertyNames()) {
            if (!key.startsWith(prefix)) {
                continue;
            }
            String rest = key.substring(prefix.length());
            String value = merged.getProperty(key).trim();
            if (COMPONENT_SECTION.matcher(rest).matches()) {
                values.add(value);
            }
            if (COMPONENT_TYPE.matcher(rest).matches()) {
                componentTypes.add(value);
            }
        }
        return Optional.of(new ConfiguredTypes(componentTypes, values));
    }

    /**
     * Whether a type a plugin declares is the name {@code named}: exactly, or, for a short alias (no dot), in any
     * case, as the runtime finds a factory ({@code type = MEMORY} is the memory channel, as in Flume).
     */
    static boolean names(String declared, String named) {
        return declared.equals(named) || (declared.indexOf('.') < 0 && declared.equalsIgnoreCase(named));
    }
}
