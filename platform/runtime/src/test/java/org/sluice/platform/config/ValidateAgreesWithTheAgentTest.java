package org.sluice.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.DefaultWhenUnparsable;
import org.sluice.api.component.IncludeKeys;
import org.sluice.api.component.Range;

/** One parser and one rule set: what validate says of a file is what the agent does with it (issue 15). */
class ValidateAgreesWithTheAgentTest {
    @TempDir
    Path directory;

    private final FlumeConfigParser parser = new FlumeConfigParser(Environment.of(Map.of(), Map.of()), false);

    @Test
    void undecodableBytesAreReadTheSameWayByBoth() throws Exception {
        // The finding: validate refused a file with bytes that are not UTF-8 ("cannot read"), the agent ran it.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(String.join("\n", "a1.sources = r1", "a1.channels = c1", "a1.sources.r1.type = seq",
                "a1.sources.r1.channels = c1", "a1.channels.c1.type = memory", "a1.channels.c1.label = caf")
                .getBytes(StandardCharsets.UTF_8));
        bytes.write(0xe9); // Latin-1 é: not UTF-8
        bytes.write('\n');
        Path file = Files.write(directory.resolve("latin1.properties"), bytes.toByteArray());

        List<Problem> validated = new ConfigValidator(parser).validate(file, "a1", null);
        assertTrue(validated.stream().noneMatch(Problem::isError), validated.toString());
        assertTrue(validated.stream().anyMatch(problem -> problem.message().contains("not valid UTF-8 (line 6")),
                validated.toString());

        InMemoryConfigurationAdmin configurationAdmin = new InMemoryConfigurationAdmin();
        ReloadSummary applied = new ConfigFileSync(new ConfigSources(List.of(new FileConfigSource(file)), null), "a1",
                parser, configurationAdmin).reload();
        assertEquals(2, applied.added().size() - 1, applied.toString()); // the agent, r1 and c1
        assertTrue(applied.problems().stream().anyMatch(problem -> problem.message().contains("not valid UTF-8")));
        AgentDefinition read = parser.parse(file, "a1");
        assertEquals("caf\uFFFD", read.components(ComponentKind.CHANNEL).get("c1").properties().get("label"));
    }

    /** A configuration type with Flume's tolerance, as a memory channel declares it. */
    @interface Tolerant {
        @DefaultWhenUnparsable
        @Range(min = 1, fallBack = true)
        int capacity() default 100;

        @Range(min = 0, max = 100)
        int percent() default 20;

        String keystore$_$password() default "";
    }

    @Test
    void flumesFallbacksAreWarningsForBothAndTheAgentGetsTheDefault() throws Exception {
        for (String invalid : List.of("-1", "0", "lots")) {
            Map<String, String> properties = Map.of("capacity", invalid);
            assertTrue(TypedConfiguration.violations(Tolerant.class, properties, "a1", "c1").isEmpty(), invalid);
            List<ConfigurationException> warnings = TypedConfiguration.warnings(Tolerant.class, properties, "a1", "c1");
            assertEquals(1, warnings.size(), invalid);
            assertTrue(warnings.get(0).getMessage().contains("using the default, 100, as Flume does"),
                    warnings.get(0).getMessage());
            assertEquals(100, TypedConfiguration.view(Tolerant.class, properties, "a1", "c1").capacity(), invalid);
        }
    }

    @Test
    void aRangeWithoutFallbackIsAnErrorForBoth() {
        Map<String, String> properties = Map.of("percent", "101");
        List<ConfigurationException> errors = TypedConfiguration.violations(Tolerant.class, properties, "a1", "c1");
        assertEquals(1, errors.size());
        assertEquals("percent", errors.get(0).key());
        assertTrue(errors.get(0).getMessage().contains("must be between 0 and 100, was 101"));
        ConfigurationException agent = org.junit.jupiter.api.Assertions.assertThrows(ConfigurationException.class,
                () -> TypedConfiguration.view(Tolerant.class, properties, "a1", "c1"));
        assertEquals(errors.get(0).getMessage(), agent.getMessage());
    }

    /** Keys several components share, as a support library declares them once (the TLS keys). */
    @IncludeKeys(Tolerant.class)
    @interface Shared {
        boolean ssl() default false;
    }

    /** A component's own keys, with the shared ones included. */
    @IncludeKeys(Shared.class)
    @interface Own {
        int port();
    }

    @Test
    void includedKeysAreDeclaredAndCheckedAsTheTypesOwn() throws Exception {
        assertEquals(Set.of("port", "ssl", "capacity", "percent", "keystore-password"), TypedConfiguration.keys(
                Own.class));
        Map<String, String> properties = Map.of("port", "4141", "ssl", "maybe", "percent", "101");
        List<ConfigurationException> errors = TypedConfiguration.violations(Own.class, properties, "a1", "r1");
        assertEquals(Set.of("ssl", "percent"), errors.stream().map(ConfigurationException::key).collect(
                Collectors.toSet()), errors.toString());
        // The agent fails the component on them too, naming the key, before the factory runs.
        ConfigurationException agent = org.junit.jupiter.api.Assertions.assertThrows(ConfigurationException.class,
                () -> TypedConfiguration.view(Own.class, properties, "a1", "r1"));
        assertTrue(Set.of("ssl", "percent").contains(agent.key()), agent.getMessage());
        assertTrue(agent.getMessage().contains("a1") && agent.getMessage().contains("r1"), agent.getMessage());
        List<ConfigurationException> warnings = TypedConfiguration.warnings(Own.class, Map.of("port", "1",
                "capacity", "lots"), "a1", "r1");
        assertEquals(List.of("capacity"), warnings.stream().map(ConfigurationException::key).toList());
        assertEquals(4141, TypedConfiguration.view(Own.class, Map.of("port", "4141", "ssl", "true"), "a1", "r1")
                .port());
        assertTrue(TypedConfiguration.view(Shared.class, Map.of("ssl", "true"), "a1", "r1").ssl());
    }

    @Test
    void secretsAreNeverShownInMessagesOrInTheViewsText() throws Exception {
        Map<String, String> properties = Map.of("keystore-password", "hunter2", "capacity", "s3cret-from-filter",
                SecretKeys.FROM_FILTERS, "capacity");
        String text = TypedConfiguration.view(Tolerant.class, properties, "a1", "c1").toString();
        assertFalse(text.contains("hunter2"), text);
        List<ConfigurationException> warnings = TypedConfiguration.warnings(Tolerant.class, properties, "a1", "c1");
        assertFalse(warnings.toString().contains("s3cret-from-filter"), warnings.toString());
        assertTrue(SecretKeys.isSecret("kafka.producer.ssl.key.password"));
        assertTrue(SecretKeys.isSecret("connection.password"));
        assertTrue(SecretKeys.isSecret("encryption.keyProvider.keyStorePasswordFile"));
        assertTrue(SecretKeys.isSecret("kafka.consumer.sasl.jaas.config"));
        assertFalse(SecretKeys.isSecret("hdfs.kerberosKeytab"));
    }

    @Test
    void valuesFromConfigFiltersAreMarkedSecret() {
        AgentDefinition definition = new FlumeConfigParser(Environment.of(Map.of("PORT", "4141"), Map.of()), false)
                .parse(String.join("\n", "a1.sources = r1", "a1.channels = c1", "a1.configfilters = f1",
                        "a1.configfilters.f1.type = env", "a1.sources.r1.type = seq", "a1.sources.r1.channels = c1",
                        "a1.sources.r1.port = ${f1['PORT']}", "a1.channels.c1.type = memory", ""), "a1");
        Map<String, String> source = definition.components(ComponentKind.SOURCE).get("r1").properties();
        assertEquals("4141", source.get("port"));
        assertTrue(SecretKeys.isSecret("port", source));
        assertEquals(SecretKeys.REDACTED, SecretKeys.redacted(source).get("port"));
    }
}
