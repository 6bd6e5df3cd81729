package org.sluice.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped configurations are what a new user runs first: each must be a consistent Flume agent
 * (every named component has a type, every reference names a declared channel or sink), so that a
 * typo here never becomes a user's first error message.
 */
class ExampleConfigurationsTest {
    private static final String AGENT = "a1";

    static Stream<String> configurations() throws IOException, URISyntaxException {
        URL examples = ExampleConfigurationsTest.class.getResource("/org/sluice/config/examples");
        assertNotNull(examples, "the examples directory is on the test class path");
        List<String> names = new ArrayList<>();
        names.add("/org/sluice/config/default-agent.properties");
        try (Stream<Path> files = Files.list(Path.of(examples.toURI()))) {
            files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".properties"))
                    .sorted()
                    .forEach(name -> names.add("/org/sluice/config/examples/" + name));
        }
        return names.stream();
    }

    @Test
    void shipsTheExamplesTheDocumentationNames() throws Exception {
        Set<String> names = configurations().collect(Collectors.toCollection(TreeSet::new));
        for (String example : List.of("netcat-memory-logger", "seq-memory-null", "netcat-memory-fileroll",
                "replicating-two-channels", "failover-sinkgroup")) {
            assertTrue(names.contains("/org/sluice/config/examples/" + example + ".properties"), example);
        }
    }

    @Test
    void theDefaultAgentIsTheUserGuidesFirstExample() throws IOException {
        Properties agent = load("/org/sluice/config/default-agent.properties");
        assertEquals("netcat", agent.getProperty("a1.sources.r1.type"));
        assertEquals("localhost", agent.getProperty("a1.sources.r1.bind"));
        assertEquals("44444", agent.getProperty("a1.sources.r1.port"));
        assertEquals("memory", agent.getProperty("a1.channels.c1.type"));
        assertEquals("logger", agent.getProperty("a1.sinks.k1.type"));
        assertEquals(load("/org/sluice/config/examples/netcat-memory-logger.properties").entrySet(),
                agent.entrySet(), "the default and its example copy say the same");
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void everyComponentHasATypeAndEveryReferenceIsDeclared(String resource) throws IOException {
        Properties config = load(resource);
        Set<String> agents = config.stringPropertyNames().stream()
                .map(key -> key.substring(0, key.indexOf('.')))
                .collect(Collectors.toSet());
        assertEquals(Set.of(AGENT), agents, resource + " configures one agent, " + AGENT);

        List<String> sources = list(config, "sources");
        List<String> channels = list(config, "channels");
        List<String> sinks = list(config, "sinks");
        assertFalse(sources.isEmpty(), resource + ": sources");
        assertFalse(channels.isEmpty(), resource + ": channels");
        assertFalse(sinks.isEmpty(), resource + ": sinks");

        for (String source : sources) {
            assertNotNull(config.getProperty(AGENT + ".sources." + source + ".type"), resource + ": type of " + source);
            List<String> targets = words(config.getProperty(AGENT + ".sources." + source + ".channels"));
            assertFalse(targets.isEmpty(), resource + ": channels of " + source);
            assertTrue(channels.containsAll(targets), resource + ": " + source + " writes to declared channels");
        }
        for (String channel : channels) {
            assertNotNull(config.getProperty(AGENT + ".channels." + channel + ".type"), resource + ": type of " + channel);
        }
        for (String sink : sinks) {
            assertNotNull(config.getProperty(AGENT + ".sinks." + sink + ".type"), resource + ": type of " + sink);
            assertTrue(channels.contains(config.getProperty(AGENT + ".sinks." + sink + ".channel")),
                    resource + ": " + sink + " reads a declared channel");
        }
        for (String group : list(config, "sinkgroups")) {
            List<String> members = words(config.getProperty(AGENT + ".sinkgroups." + group + ".sinks"));
            assertFalse(members.isEmpty(), resource + ": sinks of " + group);
            assertTrue(sinks.containsAll(members), resource + ": " + group + " groups declared sinks");
        }
    }

    private static List<String> list(Properties config, String kind) {
        return words(config.getProperty(AGENT + "." + kind));
    }

    private static List<String> words(String value) {
        return value == null ? List.of() : Arrays.asList(value.trim().split("\\s+"));
    }

    private static Properties load(String resource) throws IOException {
        try (InputStream in = ExampleConfigurationsTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            Properties properties = new Properties();
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            return properties;
        }
    }
}
