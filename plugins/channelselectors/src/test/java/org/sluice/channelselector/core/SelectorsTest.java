package org.sluice.channelselector.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sluice.api.channel.Channel;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.selector.ChannelSelector;
import org.sluice.api.testkit.TestChannel;
import org.sluice.testkit.TestContexts;

class SelectorsTest {
    private final Channel c1 = new TestChannel(10);
    private final Channel c2 = new TestChannel(10);
    private final Channel c3 = new TestChannel(10);
    private final Map<String, Channel> channels = new LinkedHashMap<>();

    SelectorsTest() {
        channels.put("c1", c1);
        channels.put("c2", c2);
        channels.put("c3", c3);
    }

    private ChannelSelector replicating(Map<String, String> properties) throws ConfigurationException {
        return new ReplicatingChannelSelectorFactory().create(TestContexts.selector("r1", properties, channels));
    }

    private ChannelSelector multiplexing(Map<String, String> properties) throws ConfigurationException {
        return new MultiplexingChannelSelectorFactory().create(TestContexts.selector("r1", properties, channels));
    }

    private ChannelSelector loadBalancing(Map<String, String> properties) throws ConfigurationException {
        return new LoadBalancingChannelSelectorFactory().create(TestContexts.selector("r1", properties, channels));
    }

    private static Event withHeader(String name, String value) {
        Event event = EventBuilder.withBody("x", StandardCharsets.UTF_8);
        if (value != null) {
            event.getHeaders().put(name, value);
        }
        return event;
    }

    @Test
    void replicatingRequiresEveryChannelByDefault() throws Exception {
        ChannelSelector selector = replicating(Map.of());
        Event event = withHeader("h", "v");

        assertEquals(List.of(c1, c2, c3), selector.requiredChannels(event));
        assertEquals(List.of(), selector.optionalChannels(event));
    }

    @Test
    void replicatingMakesTheListedChannelsOptional() throws Exception {
        ChannelSelector selector = replicating(Map.of("type", "replicating", "optional", "c3  c1"));
        Event event = withHeader("h", "v");

        assertEquals(List.of(c2), selector.requiredChannels(event));
        assertEquals(List.of(c3, c1), selector.optionalChannels(event));
        assertSame(selector.requiredChannels(event), selector.requiredChannels(withHeader("h", "w")),
                "one list for every event, so the channel processor can put whole batches");
    }

    @Test
    void replicatingRejectsAnUnknownOptionalChannel() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> replicating(Map.of("optional", "c2 c9")));
        assertEquals("optional", e.key());
        assertTrue(e.getMessage().contains("c9"), e.getMessage());
    }

    @Test
    void multiplexingRoutesByHeaderValueAndFallsBackToDefault() throws Exception {
        ChannelSelector selector = multiplexing(Map.of("header", "state", "mapping.CZ", "c1", "mapping.US", "c2 c3",
                "default", "c3"));

        assertEquals(List.of(c1), selector.requiredChannels(withHeader("state", "CZ")));
        assertEquals(List.of(c2, c3), selector.requiredChannels(withHeader("state", "US")));
        assertEquals(List.of(c3), selector.requiredChannels(withHeader("state", "DE")), "unmapped value");
        assertEquals(List.of(c3), selector.requiredChannels(withHeader("state", null)), "missing header");
        assertEquals(List.of(c3), selector.requiredChannels(withHeader("state", "  ")), "blank value");
        assertEquals(List.of(c3), selector.requiredChannels(withHeader("other", "CZ")), "other header");
    }

    @Test
    void multiplexingReadsFlumesDefaultHeader() throws Exception {
        ChannelSelector selector = multiplexing(Map.of("mapping.a", "c2"));

        assertEquals(List.of(c2), selector.requiredChannels(withHeader("flume.selector.header", "a")));
        assertEquals(List.of(), selector.requiredChannels(withHeader("flume.selector.header", "b")),
                "no default configured: no required channel");
    }

    @Test
    void multiplexingOptionalChannelsExcludeTheValuesRequiredOnes() throws Exception {
        ChannelSelector selector = multiplexing(Map.of("header", "state", "mapping.CZ", "c1", "optional.CZ", "c1 c2",
                "optional.DE", "c3 c2", "default", "c3"));

        assertEquals(List.of(c1), selector.requiredChannels(withHeader("state", "CZ")));
        assertEquals(List.of(c2), selector.optionalChannels(withHeader("state", "CZ")),
                "c1 is required for CZ, so it is not also optional");
        assertEquals(List.of(c3), selector.requiredChannels(withHeader("state", "DE")));
        assertEquals(List.of(c2), selector.optionalChannels(withHeader("state", "DE")),
                "DE has no mapping: its required channels are the default, c3");
        assertEquals(List.of(), selector.optionalChannels(withHeader("state", "US")));
        assertEquals(List.of(), selector.optionalChannels(withHeader("state", null)));
    }

    @Test
    void multiplexingRejectsUnknownChannelsNamingTheKey() {
        assertEquals("mapping.CZ", assertThrows(ConfigurationException.class,
                () -> multiplexing(Map.of("mapping.CZ", "c1 nope"))).key());
        assertEquals("optional.CZ", assertThrows(ConfigurationException.class,
                () -> multiplexing(Map.of("optional.CZ", "nope"))).key());
        assertEquals("default", assertThrows(ConfigurationException.class,
                () -> multiplexing(Map.of("default", "nope"))).key());
    }

    @Test
    void multiplexingRejectsAMappingWithoutChannels() {
        assertEquals("mapping.CZ", assertThrows(ConfigurationException.class,
                () -> multiplexing(Map.of("mapping.CZ", " "))).key());
    }

    @Test
    void multiplexingDeclaresItsOpenPrefixes() {
        assertEquals(java.util.Set.of("mapping.", "optional."),
                new MultiplexingChannelSelectorFactory().openKeyPrefixes());
    }

    @Test
    void loadBalancingRoundRobinSendsEachEventToTheNextChannelInTurn() throws Exception {
        for (Map<String, String> properties : List.of(Map.<String, String>of(), Map.of("policy", "round_robin"),
                Map.of("policy", "ROUND_ROBIN"))) {
            ChannelSelector selector = loadBalancing(properties);
            List<Channel> picked = new java.util.ArrayList<>();
            for (int i = 0; i < 7; i++) {
                List<Channel> required = selector.requiredChannels(withHeader("h", "v"));
                assertEquals(1, required.size());
                picked.add(required.get(0));
                assertEquals(List.of(), selector.optionalChannels(withHeader("h", "v")));
            }
            assertEquals(List.of(c1, c2, c3, c1, c2, c3, c1), picked, properties.toString());
        }
    }

    @Test
    void loadBalancingRandomSendsEachEventToOneChannelAndUsesThemAll() throws Exception {
        ChannelSelector selector = loadBalancing(Map.of("policy", "random"));
        Map<Channel, Integer> counts = new java.util.HashMap<>();
        for (int i = 0; i < 3000; i++) {
            List<Channel> required = selector.requiredChannels(withHeader("h", "v"));
            assertEquals(1, required.size());
            counts.merge(required.get(0), 1, Integer::sum);
        }
        assertEquals(java.util.Set.of(c1, c2, c3), counts.keySet());
        counts.values().forEach(count -> assertTrue(count > 700, counts::toString));
    }

    @Test
    void loadBalancingRefusesAnUnknownPolicyNamingTheKey() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> loadBalancing(Map.of("policy", "least_busy")));
        assertEquals("policy", e.key());
        assertTrue(e.getMessage().contains("least_busy"), e.getMessage());
    }
}
