package org.sluice.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.platform.config.Corpus.assertProblems;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sluice.api.component.ComponentKind;

/** One component against the installed types, as the runtime checks a configuration before creating it. */
class ComponentCheckTest {

    private final FakeTypeCatalog catalog = new FakeTypeCatalog();

    private static Map<String, String> keys(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void aGoodComponentHasNoProblems() {
        assertProblems(ComponentCheck.check("a1", ComponentKind.SOURCE, "r1",
                keys("type", "netcat", "bind", "127.0.0.1", "port", "44444", "channels", "c1"), catalog));
        assertProblems(ComponentCheck.check("a1", ComponentKind.CHANNEL, "c1",
                keys("type", "memory", "capacity", "1000", "keep-alive", "5"), catalog));
    }

    @Test
    void anUnknownTypeIsAnErrorOnTheTypeKey() {
        List<Problem> problems = ComponentCheck.check("a1", ComponentKind.CHANNEL, "c1",
                keys("type", "jdbc"), catalog);

        assertProblems(problems, "ERROR a1.channels.c1.type");
        assertTrue(problems.get(0).message().contains("'jdbc'"), problems.get(0)::toString);
    }

    @Test
    void typesAreLookedUpForTheirKind() {
        // "avro" is a source and a sink, "memory" only a channel
        assertProblems(ComponentCheck.checkTypes("a1", ComponentKind.SINK, "k1",
                keys("type", "memory", "channel", "c1"), catalog), "ERROR a1.sinks.k1.type");
        assertProblems(ComponentCheck.checkTypes("a1", ComponentKind.SINK, "k1",
                keys("type", "avro", "channel", "c1"), catalog));
    }

    @Test
    void valuesThatDoNotConvertAreErrorsEachOnItsKey() {
        List<Problem> problems = ComponentCheck.check("a1", ComponentKind.SOURCE, "r1",
                keys("type", "netcat", "port", "forty", "ack-every-event", "sometimes", "channels", "c1"), catalog);

        assertProblems(problems, "ERROR a1.sources.r1.bind", "ERROR a1.sources.r1.port",
                "ERROR a1.sources.r1.ack-every-event");
        Problem port = problems.stream().filter(p -> "port".equals(p.key())).findFirst().orElseThrow();
        assertEquals("'forty' is not a valid int", port.message());
    }

    @Test
    void keysTheTypeDoesNotDeclareAreWarnings() {
        assertProblems(ComponentCheck.check("a1", ComponentKind.CHANNEL, "c1",
                keys("type", "memory", "capacty", "1000"), catalog), "WARNING a1.channels.c1.capacty");
        // open prefixes and structural keys are not unknown
        assertProblems(ComponentCheck.check("a1", ComponentKind.SINK, "k1", keys("type", "file_roll",
                "channel", "c1", "sink.directory", "/tmp", "sink.serializer.appendNewline", "false"), catalog));
    }

    @Test
    void configAdminBookkeepingIsNotAComponentKey() {
        assertProblems(ComponentCheck.check("a1", ComponentKind.SINK, "k1", keys("type", "logger", "channel", "c1",
                ConfigSchema.AGENT, "a1", ConfigSchema.COMPONENT, "k1", ConfigSchema.ORIGIN, "/etc/flume.conf",
                "service.pid", "org.sluice.sink~a1.k1", "service.factoryPid", "org.sluice.sink"), catalog));
    }

    @Test
    void aTypeWithoutConfigurationTypeAcceptsAnyKey() {
        assertProblems(ComponentCheck.check("a1", ComponentKind.SINK, "k1",
                keys("type", "hdfs", "channel", "c1", "hdfs.path", "/flume", "whatever", "x"), catalog));
    }

    @Test
    void theSelectorIsReplicatingUnlessNamedAndIsChecked() {
        FakeTypeCatalog noReplicating = new FakeTypeCatalog().without(ComponentKind.CHANNEL_SELECTOR, "replicating");
        Map<String, String> source = keys("type", "seq", "channels", "c1 c2");

        assertProblems(ComponentCheck.check("a1", ComponentKind.SOURCE, "r1", source, noReplicating),
                "ERROR a1.sources.r1.selector.type");
        assertProblems(ComponentCheck.check("a1", ComponentKind.SOURCE, "r1", keys("type", "seq",
                "channels", "c1 c2", "selector.type", "multiplexing", "selector.header", "State",
                "selector.mapping.CA", "c1", "selector.optional.CA", "c2", "selector.default", "c1",
                "selector.defualt", "c2"), catalog), "WARNING a1.sources.r1.selector.defualt");
        assertProblems(ComponentCheck.check("a1", ComponentKind.SOURCE, "r1", keys("type", "seq",
                "channels", "c1", "selector.type", "fanout"), catalog), "ERROR a1.sources.r1.selector.type");
    }

    @Test
    void interceptorsAreCheckedUnderTheirOwnKeys() {
        List<Problem> problems = ComponentCheck.check("a1", ComponentKind.SOURCE, "r1", keys("type", "seq",
                "channels", "c1", "interceptors", "i1 i2 i3",
                "interceptors.i1.type", "org.apache.flume.interceptor.HostInterceptor$Builder",
                "interceptors.i2.type", "regex_filter", "interceptors.i2.excludeEvents", "perhaps",
                "interceptors.i2.regx", "x",
                "interceptors.i3.type", "geoip",
                "interceptors.i9.type", "static"), catalog);

        assertProblems(problems, "ERROR a1.sources.r1.interceptors.i2.excludeEvents",
                "WARNING a1.sources.r1.interceptors.i2.regx", "ERROR a1.sources.r1.interceptors.i3.type",
                "WARNING a1.sources.r1.interceptors.i9.type");
    }

    @Test
    void theSinkProcessorIsDefaultUnlessNamedAndIsChecked() {
        List<Problem> failover = ComponentCheck.check("a1", ComponentKind.SINKGROUP, "g1", keys("sinks", "k1 k2",
                "processor.type", "failover", "processor.priority.k1", "5", "processor.maxpenalty", "soon",
                "prcessor.type", "failover"), catalog);
        // Flume runs a maxpenalty that is not a number with the default; the agent does, and validate warns.
        assertProblems(failover, "WARNING a1.sinkgroups.g1.processor.maxpenalty",
                "WARNING a1.sinkgroups.g1.prcessor.type");
        Problem maxpenalty = failover.stream().filter(p -> "processor.maxpenalty".equals(p.key())).findFirst()
                .orElseThrow();
        assertTrue(maxpenalty.message().contains("using the default, 30000"), maxpenalty::toString);
        assertProblems(ComponentCheck.check("a1", ComponentKind.SINKGROUP, "g1", keys("sinks", "k1 k2",
                "processor.backoff", "true"), catalog), "WARNING a1.sinkgroups.g1.processor.backoff");
        assertProblems(ComponentCheck.check("a1", ComponentKind.SINKGROUP, "g1", keys("sinks", "k1 k2"),
                new FakeTypeCatalog().without(ComponentKind.SINK_PROCESSOR, "default")),
                "ERROR a1.sinkgroups.g1.processor.type");
    }

    @Test
    void theShapeOfAConfigurationMadeInConfigAdminIsCheckedToo() {
        assertProblems(ComponentCheck.check("a1", ComponentKind.SINK, "k1",
                keys("type", "logger", "channel", "c1 c2"), catalog), "ERROR a1.sinks.k1.channel");
        assertProblems(ComponentCheck.check("a1", ComponentKind.SOURCE, "r1", keys("type", "seq"), catalog),
                "ERROR a1.sources.r1.channels");
        assertProblems(ComponentCheck.check("a1", ComponentKind.SINKGROUP, "g1",
                keys("processor.type", "failover"), catalog), "ERROR a1.sinkgroups.g1.sinks");
        // a missing type is reported once, by the shape check
        assertProblems(ComponentCheck.check("a1", ComponentKind.CHANNEL, "c1", keys("capacity", "10"), catalog),
                "ERROR a1.channels.c1.type");
    }

    @Test
    void aCustomSinkSelectorIsLookedUpAndChecksItsOwnKeys() {
        // Built in: the processor's own keys, selector.maxTimeOut among them.
        assertProblems(ComponentCheck.check("a1", ComponentKind.SINKGROUP, "g1", keys("sinks", "k1 k2",
                "processor.type", "load_balance", "processor.selector", "RANDOM", "processor.selector.maxTimeOut",
                "1000"), catalog));
        // Custom and installed: its keys are checked against the selector's type, under their full keys.
        assertProblems(ComponentCheck.check("a1", ComponentKind.SINKGROUP, "g1", keys("sinks", "k1 k2",
                "processor.type", "load_balance", "processor.selector", "com.example.Weighted",
                "processor.selector.weight.k1", "3", "processor.selector.maxTimeOut", "soon",
                "processor.selector.wieght.k2", "1"), catalog),
                "ERROR a1.sinkgroups.g1.processor.selector.maxTimeOut",
                "WARNING a1.sinkgroups.g1.processor.selector.wieght.k2");
        // Custom and not installed: an error on the key that names it.
        List<Problem> missing = ComponentCheck.check("a1", ComponentKind.SINKGROUP, "g1", keys("sinks", "k1 k2",
                "processor.type", "load_balance", "processor.selector", "com.example.Missing"), catalog);
        assertProblems(missing, "ERROR a1.sinkgroups.g1.processor.selector");
        assertTrue(missing.get(0).message().contains("sink selector of type 'com.example.Missing'"),
                missing.get(0)::toString);
    }
}
