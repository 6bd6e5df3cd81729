package org.sluice.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.platform.config.Corpus.assertProblems;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Flume 1.10+'s configuration from several files ({@code --conf-file a --conf-file b}) and its {@code ${NAME}}
 * references to properties of the configuration, as the User Guide describes them ("Multiple Configuration
 * Files", "Using environment variables, system properties, or other properties configuration files").
 */
class MergedConfigurationTest {

    private static final String BASE = """
            a1.sources = r1
            a1.channels = c1
            a1.sinks = k1
            a1.sources.r1.type = netcat
            a1.sources.r1.bind = 0.0.0.0
            a1.sources.r1.port = ${NC_PORT}
            a1.sources.r1.channels = c1
            a1.channels.c1.type = memory
            a1.channels.c1.capacity = 1000
            a1.sinks.k1.type = logger
            a1.sinks.k1.channel = c1
            """;

    private static AgentDefinition parse(Environment environment, String... texts) throws IOException {
        List<ConfigText> sources = new java.util.ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            sources.add(new ConfigText("file" + (i + 1) + ".conf", texts[i]));
        }
        return new FlumeConfigParser(environment, false).parse(sources, "a1");
    }

    private static AgentDefinition parse(String... texts) throws IOException {
        return parse(Environment.of(Map.of(), Map.of()), texts);
    }

    @Test
    void theUserGuidesOverrideFileDefinesAPropertyTheFirstFileRefersTo() throws IOException {
        AgentDefinition a1 = parse(BASE, "NC_PORT = 44444\n");

        assertProblems(a1.problems());
        assertEquals("44444", a1.sources().get("r1").properties().get("port"));
    }

    @Test
    void aLaterFileOverridesAKeyAndAddsComponentsByRepeatingTheList() throws IOException {
        AgentDefinition a1 = parse(BASE, """
                NC_PORT = 5140
                a1.channels.c1.capacity = 5000
                a1.sinks = k1 k2
                a1.sinks.k2.type = null
                a1.sinks.k2.channel = c1
                """);

        assertProblems(a1.problems());
        assertEquals("5000", a1.channels().get("c1").properties().get("capacity"));
        assertEquals(List.of("k1", "k2"), List.copyOf(a1.sinks().keySet()));
        assertEquals("5140", a1.sources().get("r1").properties().get("port"));
    }

    @Test
    void aKeyOverriddenByALaterFileIsNoMistakeButTwiceInOneFileIs() throws IOException {
        AgentDefinition a1 = parse(BASE + "NC_PORT = 1\n", "NC_PORT = 2\na1.channels.c1.capacity = 9\n"
                + "a1.channels.c1.capacity = 10\n");

        assertProblems(a1.problems(), "WARNING a1.channels.c1.capacity");
        assertTrue(a1.problems().get(0).message().contains("file2.conf"), a1.problems().get(0)::toString);
        assertEquals("10", a1.channels().get("c1").properties().get("capacity"));
        assertEquals("2", a1.sources().get("r1").properties().get("port"));
    }

    @Test
    void aPropertyMayReferToAnotherAndToAnyKeyOfTheConfiguration() throws IOException {
        AgentDefinition a1 = parse(Environment.of(Map.of(), Map.of("capacity", "800")),
                BASE.replace("a1.channels.c1.capacity = 1000",
                "a1.channels.c1.capacity = ${size}\na1.channels.c1.transactionCapacity = ${a1.channels.c1.capacity}"),
                """
                base = 44
                NC_PORT = ${base}444
                size = ${sys:capacity}
                """);

        assertProblems(a1.problems());
        assertEquals("44444", a1.sources().get("r1").properties().get("port"));
        assertEquals("800", a1.channels().get("c1").properties().get("capacity"));
        assertEquals("800", a1.channels().get("c1").properties().get("transactionCapacity"));
    }

    @Test
    void aReferenceResolvesWhateverTheOrderOfTheKeys() throws IOException {
        // Flume resolves these in hash order and may leave one unresolved; every order works here.
        for (String name : List.of("a", "zz", "port", "NC_PORT2", "x.y.z")) {
            AgentDefinition a1 = parse(BASE.replace("${NC_PORT}", "${" + name + "}"), name + " = ${other}\n"
                    + "other = 7777\n");
            assertEquals("7777", a1.sources().get("r1").properties().get("port"), name);
        }
    }

    @Test
    void aPropertyOfTheConfigurationWinsOverTheEnvironmentAndSystemPropertiesNeedTheirPrefix() throws IOException {
        Environment environment = Environment.of(Map.of("NC_PORT", "1111"),
                Map.of("NC_PORT", "2222", FlumeConfigParser.PROPERTIES_IMPLEMENTATION, FlumeConfigParser.ENV_VAR_RESOLVER));
        AgentDefinition withProperty = new FlumeConfigParser(environment, true).parse(List.of(
                new ConfigText("a", BASE), new ConfigText("b", "NC_PORT = 3333\n")), "a1");
        AgentDefinition withoutProperty = new FlumeConfigParser(environment, true).parse(List.of(
                new ConfigText("a", BASE)), "a1");
        AgentDefinition withoutResolver = new FlumeConfigParser(environment, false).parse(List.of(
                new ConfigText("a", BASE)), "a1");

        assertEquals("3333", withProperty.sources().get("r1").properties().get("port"));
        assertEquals("1111", withoutProperty.sources().get("r1").properties().get("port"));
        assertEquals("${NC_PORT}", withoutResolver.sources().get("r1").properties().get("port"),
                "without Flume's environment resolver ${NAME} is the configuration's property only");
    }

    @Test
    void defaultsEscapesAndReferencesInNamesFollowCommonsTextSyntax() throws IOException {
        Environment environment = Environment.of(Map.of("SIDE", "left"), Map.of());
        AgentDefinition a1 = parse(environment, BASE.replace("a1.sources.r1.bind = 0.0.0.0",
                "a1.sources.r1.bind = ${env:BIND:-127.0.0.1}")
                .replace("a1.channels.c1.capacity = 1000", "a1.channels.c1.capacity = ${${env:SIDE}.capacity}")
                .replace("a1.sinks.k1.type = logger", "a1.sinks.k1.type = logger\na1.sinks.k1.note = $${NC_PORT}"),
                "NC_PORT = ${missing:-4545}\nleft.capacity = 300\n");

        assertProblems(a1.problems());
        assertEquals("127.0.0.1", a1.sources().get("r1").properties().get("bind"));
        assertEquals("4545", a1.sources().get("r1").properties().get("port"));
        assertEquals("300", a1.channels().get("c1").properties().get("capacity"));
        assertEquals("${NC_PORT}", a1.sinks().get("k1").properties().get("note"));
    }

    @Test
    void aReferenceToItselfIsAnErrorNamingTheChainAndTheComponentDoesNotStart() throws IOException {
        AgentDefinition a1 = parse(BASE, "NC_PORT = ${a}\na = ${b}\nb = ${NC_PORT}\n");

        assertProblems(a1.problems(), "ERROR a1.sources.r1.port");
        assertTrue(a1.problems().get(0).message().contains("NC_PORT -> a -> b -> NC_PORT"),
                a1.problems().get(0)::toString);
        assertTrue(a1.sources().isEmpty());
    }

    @Test
    void referencesDeeperThanAnyRealFileAreAnErrorOfTheirKeyNotACrash() throws IOException {
        StringBuilder chain = new StringBuilder("NC_PORT = ${p0}\n");
        for (int i = 0; i < 5000; i++) {
            chain.append('p').append(i).append(" = ${p").append(i + 1).append("}\n");
        }
        chain.append("p5000 = 44444\n");
        AgentDefinition chained = parse(BASE, chain.toString());
        assertProblems(chained.problems(), "ERROR a1.sources.r1.port");
        assertTrue(chained.problems().get(0).message().contains("more than " + ReferenceResolver.MAX_DEPTH + " deep"),
                chained.problems().get(0)::toString);

        String nested = "${".repeat(100_000) + "x" + "}".repeat(100_000);
        AgentDefinition nestedNames = parse(BASE.replace("${NC_PORT}", nested));
        assertProblems(nestedNames.problems(), "ERROR a1.sources.r1.port");
    }

    @Test
    void aPropertyIsResolvedOnceHoweverOftenItIsReferredTo() {
        // Each property refers twice to the one before: resolved anew at every reference, b60 would take 2^60 steps.
        StringBuilder doubling = new StringBuilder("NC_PORT = ${b60}\nb0 = x\n");
        for (int i = 1; i <= 60; i++) {
            doubling.append('b').append(i).append(" = ${b").append(i - 1).append("}${b").append(i - 1).append("}\n");
        }
        AgentDefinition a1 = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofMinutes(1), () -> parse(BASE, doubling.toString()));

        assertProblems(a1.problems(), "ERROR a1.sources.r1.port");
        assertTrue(a1.problems().get(0).message().contains("more than " + ReferenceResolver.MAX_VALUE_CHARS
                + " characters"), a1.problems().get(0)::toString);
    }

    @Test
    void whatAConfigFilterReturnsIsNeverResolvedAgain() throws IOException {
        Environment environment = Environment.of(Map.of("PASSWORD", "pa${NC_PORT}ss"), Map.of());
        AgentDefinition a1 = parse(environment, BASE + """
                a1.configfilters = f1
                a1.configfilters.f1.type = env
                a1.sinks.k1.password = ${f1['PASSWORD']}
                a1.sinks.k1.other = ${env:PASSWORD}
                NC_PORT = 1
                """);

        assertEquals("pa${NC_PORT}ss", a1.sinks().get("k1").properties().get("password"));
        assertEquals("pa1ss", a1.sinks().get("k1").properties().get("other"),
                "an environment variable's value is resolved again, as Commons Text does in Flume");
    }

    @Test
    void aConfigFiltersOwnKeysMayUseReferences() throws IOException {
        AgentDefinition a1 = parse(BASE.replace("${NC_PORT}", "${f1['port']}") + """
                a1.configfilters = f1
                a1.configfilters.f1.type = external
                a1.configfilters.f1.command = ${helper}
                """, "helper = echo\n");

        assertProblems(a1.problems());
        assertEquals("port", a1.sources().get("r1").properties().get("port"));
    }
}
