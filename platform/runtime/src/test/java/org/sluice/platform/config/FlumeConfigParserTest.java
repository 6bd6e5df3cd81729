package org.sluice.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.platform.config.Corpus.assertProblems;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sluice.api.component.ComponentKind;

/** Reading Flume properties files as Flume does: the User Guide's examples and the parsing rules. */
class FlumeConfigParserTest {

    @Test
    void readsTheUserGuidesSimpleExample() {
        AgentDefinition a1 = Corpus.parse("netcat-memory-logger.properties", "a1");

        assertProblems(a1.problems());
        assertEquals(List.of("r1"), List.copyOf(a1.sources().keySet()));
        assertEquals(new ComponentDefinition(ComponentKind.SOURCE, "r1",
                Map.of("type", "netcat", "bind", "localhost", "port", "44444", "channels", "c1")),
                a1.sources().get("r1"));
        assertEquals(Map.of("type", "memory", "capacity", "1000", "transactionCapacity", "100"),
                a1.channels().get("c1").properties());
        assertEquals(Map.of("type", "logger", "channel", "c1"), a1.sinks().get("k1").properties());
        assertTrue(a1.sinkgroups().isEmpty());
    }

    @Test
    void keepsDottedAndDashedKeysAsWritten() {
        AgentDefinition a1 = Corpus.parse("seq-file-roll.properties", "a1");

        assertProblems(a1.problems());
        assertEquals("/var/log/flume", a1.sinks().get("k1").properties().get("sink.directory"));
        assertEquals("0", a1.sinks().get("k1").properties().get("sink.rollInterval"));
        assertEquals("3", a1.channels().get("c1").properties().get("keep-alive"));
    }

    @Test
    void readsOnlyTheNamedAgentOfAFileWithSeveral() {
        AgentDefinition weblog = Corpus.parse("avro-two-tiers.properties", "weblog");
        AgentDefinition collector = Corpus.parse("avro-two-tiers.properties", "collector");

        assertProblems(weblog.problems());
        assertProblems(collector.problems());
        assertEquals(List.of("seq-src"), List.copyOf(weblog.sources().keySet()));
        assertEquals(List.of("file-channel"), List.copyOf(weblog.channels().keySet()));
        assertEquals("10.1.1.100", weblog.sinks().get("avro-forward-sink").properties().get("hostname"));
        assertEquals(List.of("avro-collection-source"), List.copyOf(collector.sources().keySet()));
        assertEquals(List.of("log-sink"), List.copyOf(collector.sinks().keySet()));
    }

    @Test
    void anAgentNotInTheFileStartsNothing() {
        AgentDefinition absent = Corpus.parse("netcat-memory-logger.properties", "a2");

        assertTrue(absent.isEmpty());
        assertProblems(absent.problems(), "ERROR a2.channels");
    }

    @Test
    void selectorKeysStayWithTheirSource() {
        ComponentDefinition replicating = Corpus.parse("replicating-selector.properties", "a1").sources().get("r1");
        AgentDefinition foo = Corpus.parse("multiplexing-selector.properties", "agent_foo");
        ComponentDefinition multiplexing = foo.sources().get("avro-AppSrv-source1");

        assertEquals("c3", replicating.properties().get("selector.optional"));
        assertProblems(foo.problems());
        assertEquals(Map.of("type", "multiplexing", "header", "State", "mapping.CA", "mem-channel-1",
                "mapping.AZ", "file-channel-2", "mapping.NY", "mem-channel-1 file-channel-2",
                "optional.CA", "mem-channel-1 file-channel-2", "default", "mem-channel-1"),
                multiplexing.subProperties("selector."));
        assertEquals(List.of("mem-channel-1", "file-channel-2"), multiplexing.list("channels"));
    }

    @Test
    void processorKeysStayWithTheirSinkGroup() {
        AgentDefinition failover = Corpus.parse("sinkgroup-failover.properties", "a1");
        AgentDefinition loadBalance = Corpus.parse("sinkgroup-load-balance.properties", "a1");

        assertProblems(failover.problems());
        assertEquals(Map.of("sinks", "k1 k2", "processor.type", "failover", "processor.priority.k1", "5",
                "processor.priority.k2", "10", "processor.maxpenalty", "10000"),
                failover.sinkgroups().get("g1").properties());
        assertEquals(2, failover.sinks().size());
        assertEquals("random", loadBalance.sinkgroups().get("g1").properties().get("processor.selector"));
    }

    @Test
    void interceptorKeysStayWithTheirSource() {
        AgentDefinition a1 = Corpus.parse("interceptors.properties", "a1");
        ComponentDefinition r1 = a1.sources().get("r1");

        assertProblems(a1.problems());
        assertEquals(List.of("i1", "i2", "i3", "i4"), r1.list("interceptors"));
        assertEquals("org.apache.flume.interceptor.HostInterceptor$Builder", r1.properties().get("interceptors.i1.type"));
        assertEquals("^DEBUG.*", r1.properties().get("interceptors.i4.regex"));
        assertEquals(Map.of("type", "static", "key", "datacenter", "value", "NEW_YORK"),
                r1.subProperties("interceptors.i3."));
    }

    @Test
    void resolvesConfigFiltersEnvironmentVariablesAndSystemProperties() {
        Environment environment = Environment.of(
                Map.of("NC_PORT", "44444", "CAPACITY", "500", "COLLECTOR_HOST", "collector.example"),
                Map.of("netcat.bind", "127.0.0.1"));

        AgentDefinition a1 = Corpus.parse("config-filters.properties", "a1", environment);

        assertProblems(a1.problems());
        assertEquals("44444", a1.sources().get("r1").properties().get("port"));
        assertEquals("127.0.0.1", a1.sources().get("r1").properties().get("bind"));
        assertEquals("500", a1.channels().get("c1").properties().get("capacity"));
        assertEquals("collector.example", a1.sinks().get("k1").properties().get("hostname"));
        // the external filter ran "echo secret-for truststore" and took its first line
        assertEquals("secret-for truststore", a1.sinks().get("k1").properties().get("truststore-password"));
    }

    @Test
    void plainDollarReferencesAreEnvironmentVariablesOnlyWhenFlumesResolverIsAskedFor() {
        String text = """
                a1.sources = r1
                a1.channels = c1
                a1.sources.r1.type = netcat
                a1.sources.r1.port = ${NC_PORT}
                a1.sources.r1.channels = c1
                a1.channels.c1.type = memory
                """;
        Environment withResolver = Environment.of(Map.of("NC_PORT", "44444"),
                Map.of(FlumeConfigParser.PROPERTIES_IMPLEMENTATION, FlumeConfigParser.ENV_VAR_RESOLVER));
        Environment withoutResolver = Environment.of(Map.of("NC_PORT", "44444"), Map.of());

        AgentDefinition resolved = FlumeConfigParser.forEnvironment(withResolver).parse(text, "a1");
        AgentDefinition literal = FlumeConfigParser.forEnvironment(withoutResolver).parse(text, "a1");

        assertEquals("44444", resolved.sources().get("r1").properties().get("port"));
        assertEquals("${NC_PORT}", literal.sources().get("r1").properties().get("port"));
        assertProblems(literal.problems(), "WARNING a1.sinks");
    }

    @Test
    void aMissingPlainVariableIsAnErrorNotAnEmptyValue() {
        Environment environment = Environment.of(Map.of(),
                Map.of(FlumeConfigParser.PROPERTIES_IMPLEMENTATION, FlumeConfigParser.ENV_VAR_RESOLVER));

        AgentDefinition a1 = FlumeConfigParser.forEnvironment(environment).parse("""
                a1.sources = r1 r2
                a1.channels = c1
                a1.sources.r1.type = netcat
                a1.sources.r1.port = ${NC_PORT}
                a1.sources.r1.channels = c1
                a1.sources.r2.type = seq
                a1.sources.r2.channels = c1
                a1.channels.c1.type = memory
                """, "a1");

        assertProblems(a1.problems(), "ERROR a1.sources.r1.port", "WARNING a1.sinks");
        assertEquals(List.of("r2"), List.copyOf(a1.sources().keySet()));
        assertTrue(a1.problems().get(0).message().contains("NC_PORT"), a1.problems().get(0)::toString);
    }

    @Test
    void trimsValuesAndHonoursPropertiesSyntax() {
        AgentDefinition a1 = new FlumeConfigParser(Environment.of(Map.of(), Map.of()), false).parse(
                "a1.sources = r1\n"
                        + "a1.channels : c1\n"
                        + "a1.sources.r1.type = netcat   \n"
                        + "a1.sources.r1.bind=\t127.0.0.1\t\n"
                        + "a1.sources.r1.port = 44\\\n"
                        + "     444\n"
                        + "! a comment\n"
                        + "a1.sources.r1.channels = c1\n"
                        + "a1.channels.c1.type = memory\n",
                "a1");

        assertEquals(Map.of("type", "netcat", "bind", "127.0.0.1", "port", "44444", "channels", "c1"),
                a1.sources().get("r1").properties());
    }

    @Test
    void reportsKeysFlumeIgnores() {
        AgentDefinition a1 = Corpus.parse("bad-keys.properties", "a1");

        assertProblems(a1.problems(),
                "ERROR a1.source.r1.batchSize",
                "ERROR a1.foo",
                "ERROR a1.sinks.k1",
                "WARNING a1.channels.c1.capacity",
                "WARNING a1.sinks.k1.maxBytesToLog",
                "WARNING a1.sinks.k2");
        assertEquals("32", a1.sinks().get("k1").properties().get("maxBytesToLog"));
        assertEquals(Map.of("type", "memory"), a1.channels().get("c1").properties());
        assertEquals(List.of("k1"), List.copyOf(a1.sinks().keySet()));
    }

    @Test
    void unresolvableReferencesNameTheKeyAndKeepTheComponentFromStarting() {
        AgentDefinition a1 = Corpus.parse("unresolved-references.properties", "a1");

        assertProblems(a1.problems(),
                "ERROR a1.configfilters.f1.credential.provider.path",
                "ERROR a1.configfilters.f2.command",
                "ERROR a1.channels.c1.capacity",
                "ERROR a1.sinks.k1.port",
                "WARNING a1.sinks.k1.truststore",
                "ERROR a1.sources.r1.channels");
        assertTrue(a1.sinks().isEmpty());
        assertEquals(List.of("c2"), a1.sources().get("r1").list("channels"));
        Problem port = a1.problems().stream().filter(p -> "port".equals(p.key())).findFirst().orElseThrow();
        assertTrue(port.message().contains("${f1['COLLECTOR_PORT']}"), port::toString);
    }

    @Test
    void problemsReadLikeThePropertiesKey() {
        Problem problem = Problem.error("a1", ComponentKind.SINK, "k1", "channel", "names 2 channels");

        assertEquals("ERROR a1.sinks.k1.channel: names 2 channels", problem.toString());
        assertEquals("a1.channels", Problem.agentError("a1", "channels", "x").location());
        assertEquals("a1.sources.r6", Problem.error("a1", ComponentKind.SOURCE, "r6", null, "x").location());
    }
}
