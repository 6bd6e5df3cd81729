package org.sluice.platform.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;

class TapPointTest {

    /** An event that fails the test if anything reads it: what passes an untapped point is never touched. */
    private static final class UntouchableEvent implements Event {
        @Override
        public Map<String, String> getHeaders() {
            throw new AssertionError("an untapped point read the headers");
        }

        @Override
        public void setHeaders(Map<String, String> headers) {
            throw new AssertionError("a tap changed the event");
        }

        @Override
        public byte[] getBody() {
            throw new AssertionError("an untapped point read the body");
        }

        @Override
        public void setBody(byte[] body) {
            throw new AssertionError("a tap changed the event");
        }
    }

    @Test
    void withoutATapAnEventIsNotTouched() {
        TapRegistry registry = new TapRegistry();
        TapPoint point = registry.point("a1", ComponentKind.CHANNEL, "c1");
        assertFalse(point.active());
        point.offer("put", new UntouchableEvent());

        // Opened and closed again: back to the untouched path.
        registry.open("a1", ComponentKind.CHANNEL, "c1", 3).close();
        assertFalse(point.active());
        point.offer("put", new UntouchableEvent());
    }

    @Test
    void aTapTakesWhatItWantsAsACopy() throws Exception {
        TapRegistry registry = new TapRegistry();
        TapPoint point = registry.point("a1", ComponentKind.SINK, "k1");
        try (Tap tap = registry.open("a1", ComponentKind.SINK, "k1", 2)) {
            assertTrue(point.active());
            Map<String, String> headers = new HashMap<>(Map.of("host", "web1"));
            Event first = EventBuilder.withBody("x".repeat(1000).getBytes(StandardCharsets.UTF_8), headers);
            point.offer("take", first);
            point.offer("take", EventBuilder.withBody("second", StandardCharsets.UTF_8));
            point.offer("take", EventBuilder.withBody("third", StandardCharsets.UTF_8));
            headers.put("later", "changed");

            TapSample sample = tap.next(1, TimeUnit.SECONDS);
            assertEquals("take", sample.point());
            assertEquals(Map.of("host", "web1"), sample.headers(), "a copy, taken when the event passed");
            assertEquals(1000, sample.bodyLength());
            assertEquals(Tap.PREVIEW_BYTES, sample.bodyPreview().length, "the preview is bounded");
            assertArrayEquals("second".getBytes(StandardCharsets.UTF_8), tap.next(1, TimeUnit.SECONDS).bodyPreview());
            assertNull(tap.next(50, TimeUnit.MILLISECONDS), "two wanted, two taken");
            assertTrue(tap.satisfied());
            assertEquals(3, tap.seen());
        }
        assertFalse(point.active(), "closing the tap removes it");
    }

    @Test
    void aWatcherThatDoesNotReadNeverHoldsDeliveryUp() {
        TapRegistry registry = new TapRegistry();
        TapPoint point = registry.point("a1", ComponentKind.SOURCE, "r1");
        try (Tap tap = registry.open("a1", ComponentKind.SOURCE, "r1", 1_000_000)) {
            Event event = EventBuilder.withBody("e", StandardCharsets.UTF_8);
            // Nobody reads the tap: every offer past the queue's room is dropped, none waits.
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                for (int i = 0; i < 100_000; i++) {
                    point.offer("out", event);
                }
            });
            assertEquals(100_000, tap.seen());
            assertEquals(100_000 - Tap.QUEUE_CAPACITY, tap.dropped());
        }
    }

    @Test
    void aTapShowsAtLeastOneEvent() {
        assertThrows(IllegalArgumentException.class, () -> new TapRegistry().open("a1", ComponentKind.SINK, "k1", 0));
    }
}
