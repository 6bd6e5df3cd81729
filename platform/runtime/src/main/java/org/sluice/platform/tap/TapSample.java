package org.sluice.platform.tap;

import java.util.Map;

/**
 * What a tap saw of one event: copied on the delivery thread, so the event itself is never held or changed.
 *
 * @param point       where it was seen: {@code put} or {@code take} of a channel, {@code out} of a source (after its
 *                    interceptors, once its required channels took it), {@code take} of a sink
 * @param millis      when, in milliseconds since the epoch
 * @param headers     a copy of its headers
 * @param bodyPreview the first bytes of its body, at most {@link Tap#PREVIEW_BYTES}
 * @param bodyLength  the whole body's length in bytes
 */
public record TapSample(String point, long millis, Map<String, String> headers, byte[] bodyPreview, int bodyLength) {
}
