package org.sluice.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.platform.config.Corpus.assertProblems;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Flume's structural rules: what is dropped, what is kept, and the problem naming agent, component and key. */
class StructuralValidationTest {

    @Test
    void sourcesWithoutUsableChannelsTypesOrInterceptorTypesAreDropped() {
        AgentDefinition a1 = Corpus.parse("bad-sources.properties", "a1");

        assertProblems(a1.problems(),
                "ERROR a1.sources.r1.channels",
                "ERROR a1.sources.r2.channels",
                "ERROR a1.sources.r2.channels",
                "ERROR a1.sources.r3.channels",
                "ERROR a1.sources.r4.type",
                "ERROR a1.sources.r5.interceptors.i1.type",
                "ERROR a1.sources.r6");
        // r3 keeps the channel that exists, as in Flume
        assertEquals(List.of("r3"), List.copyOf(a1.sources().keySet()));
        assertEquals("c1", a1.sources().get("r3").properties().get("channels"));
        assertEquals(List.of("k1"), List.copyOf(a1.sinks().keySet()));
    }

    @Test
    void sinksNeedExactlyOneUsableChannelAndAType() {
        AgentDefinition a1 = Corpus.parse("bad-sinks.properties", "a1");

        assertProblems(a1.problems(),
                "ERROR a1.sinks.k1.channel",
                "ERROR a1.sinks.k2.channel",
                "ERROR a1.sinks.k3.channel",
                "ERROR a1.sinks.k4.type");
        assertEquals(List.of("k5"), List.copyOf(a1.sinks().keySet()));
        Problem twoChannels = a1.problems().stream().filter(p -> "k2".equals(p.component())).findFirst().orElseThrow();
        assertTrue(twoChannels.message().contains("exactly one"), twoChannels::toString);
        Problem undefined = a1.problems().stream().filter(p -> "k3".equals(p.component())).findFirst().orElseThrow();
        assertTrue(undefined.message().contains("'c9' is not listed in a1.channels"), undefined::toString);
    }

    @Test
    void aDroppedChannelTakesItsSinkAndLeavesTheSourceItsOtherChannels() {
        AgentDefinition a1 = Corpus.parse("bad-channels.properties", "a1");

        assertProblems(a1.problems(),
                "ERROR a1.channels.c1.type",
                "ERROR a1.sources.r1.channels",
                "ERROR a1.sinks.k1.channel",
                "WARNING a1.channels.c3");
        assertEquals(List.of("c2"), List.copyOf(a1.channels().keySet()));
        assertEquals(List.of("c2"), a1.sources().get("r1").list("channels"));
        assertEquals(List.of("k2"), List.copyOf(a1.sinks().keySet()));
    }

    @Test
    void sinkGroupsKeepOnlyUsableSinksEachInOneGroup() {
        AgentDefinition a1 = Corpus.parse("bad-sinkgroups.properties", "a1");

        assertProblems(a1.problems(),
                "ERROR a1.sinkgroups.g1.sinks",
                "ERROR a1.sinkgroups.g2.sinks",
                "ERROR a1.sinkgroups.g3.sinks",
                "ERROR a1.sinkgroups.g4.sinks",
                "ERROR a1.sinkgroups.g4.sinks",
                "ERROR a1.sinkgroups.g4.sinks");
        assertEquals(List.of("g1", "g2"), List.copyOf(a1.sinkgroups().keySet()));
        assertEquals(List.of("k1"), a1.sinkgroups().get("g1").list("sinks"));
        assertEquals(List.of("k2"), a1.sinkgroups().get("g2").list("sinks"));
        assertEquals("failover", a1.sinkgroups().get("g1").properties().get("processor.type"));
        Problem inTwoGroups = a1.problems().stream().filter(p -> "g2".equals(p.component())).findFirst().orElseThrow();
        assertTrue(inTwoGroups.message().contains("already in sink group 'g1'"), inTwoGroups::toString);
        assertEquals(3, a1.sinks().size(), "sinks of dropped groups still run on their own");
    }

    @Test
    void anAgentWithoutChannelsStartsNothing() {
        AgentDefinition a1 = Corpus.parse("no-channels.properties", "a1");

        assertTrue(a1.isEmpty());
        assertProblems(a1.problems(), "ERROR a1.channels", "WARNING a1.channels.c1");
    }

    @Test
    void anAgentWithoutAUsableChannelStartsNothing() {
        AgentDefinition a1 = Corpus.parse("no-usable-channel.properties", "a1");

        assertTrue(a1.isEmpty());
        assertProblems(a1.problems(), "ERROR a1.channels.c1.type", "ERROR a1.channels.c2", "ERROR a1.channels");
    }

    @Test
    void anAgentWithNeitherSourceNorSinkStartsNothing() {
        AgentDefinition a1 = Corpus.parse("no-source-no-sink.properties", "a1");

        assertTrue(a1.isEmpty());
        assertProblems(a1.problems(), "WARNING a1.sources", "WARNING a1.sinks", "ERROR a1.sources");
    }

    @Test
    void theUserGuideExamplesHaveNoProblems() {
        for (String[] example : Corpus.USER_GUIDE_EXAMPLES) {
            AgentDefinition definition = Corpus.parse(example[0], example[1]);
            assertEquals(List.of(), Corpus.located(definition.problems()), example[0]);
            assertTrue(!definition.sources().isEmpty() && !definition.sinks().isEmpty(), example[0]);
        }
    }
}
