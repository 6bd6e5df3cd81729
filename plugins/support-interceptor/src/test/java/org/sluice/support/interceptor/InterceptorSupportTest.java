package org.sluice.support.interceptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.interceptor.Interceptor;
import org.sluice.testkit.TestContexts;

class InterceptorSupportTest {

    @Test
    void aHeaderIsWrittenUnlessTheEventKeepsItsOwn() throws Exception {
        ComponentContext context = context(Map.of());
        HeaderWriter overwriting = HeaderWriter.configured(context, "headerName", "dc", false);
        HeaderWriter preserving = HeaderWriter.configured(context, "headerName", "dc", true);
        Event bare = event("bare");
        Event tagged = event("tagged");
        tagged.getHeaders().put("dc", "old");

        assertTrue(preserving.writes(bare));
        assertFalse(preserving.writes(tagged));
        preserving.write(tagged, "new");
        assertEquals("old", tagged.getHeaders().get("dc"));
        preserving.write(bare, "new");
        assertEquals("new", bare.getHeaders().get("dc"));

        assertTrue(overwriting.writes(tagged));
        overwriting.write(tagged, "new");
        assertEquals("new", tagged.getHeaders().get("dc"));
        assertEquals("dc", overwriting.name());
    }

    @Test
    void anEmptyHeaderNameIsAConfigurationErrorNamingTheKey() {
        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> HeaderWriter.configured(context(Map.of()), "hostHeader", "", true));
        assertEquals("hostHeader", error.key());
    }

    @Test
    void theInPlaceBatchFormPassesEveryEventOfTheSameListInOrder() {
        List<Event> events = new ArrayList<>(List.of(event("a"), event("b"), event("c")));
        List<String> seen = new ArrayList<>();

        List<Event> result = InPlace.each(events, event -> {
            seen.add(new String(event.getBody(), StandardCharsets.UTF_8));
            event.getHeaders().put("seen", "yes");
            return event;
        });

        assertSame(events, result);
        assertEquals(List.of("a", "b", "c"), seen);
        assertTrue(events.stream().allMatch(e -> "yes".equals(e.getHeaders().get("seen"))));
    }

    /** Keys of a made-up interceptor: a header and a count. */
    public @interface Config {
        String headerName() default "n";

        int count() default 1;
    }

    @Test
    void aTypedFactoryHandsItsConfigurationConvertedAndDeclaresItsType() throws Exception {
        List<Config> received = new ArrayList<>();
        TypedInterceptorFactory<Config> factory = new TypedInterceptorFactory<>(Config.class) {
            @Override
            protected Interceptor create(ComponentContext context, Config config) {
                received.add(config);
                return event -> event;
            }
        };

        assertSame(Config.class, factory.configurationType());
        factory.create(context(Map.of("count", "7")));
        assertEquals(7, received.get(0).count());
        assertEquals("n", received.get(0).headerName());

        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> factory.create(context(Map.of("count", "seven"))));
        assertEquals("count", error.key());
    }

    private static ComponentContext context(Map<String, String> properties) {
        return TestContexts.plain(ComponentKind.INTERCEPTOR, "r1.i1", properties);
    }

    private static Event event(String body) {
        return EventBuilder.withBody(body, StandardCharsets.UTF_8);
    }
}
