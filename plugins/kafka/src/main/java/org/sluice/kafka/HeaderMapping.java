package org.sluice.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Flume's {@code header.NAME = kafkaName} keys: the event header NAME travels as the Kafka record header
 * {@code kafkaName}, on the sink's way out (event to record) and the source's way in (record to event). Values are
 * UTF-8 on the wire.
 */
public final class HeaderMapping {
    private static final HeaderMapping NONE = new HeaderMapping(new String[0], new String[0]);

    private final String[] eventNames;
    private final String[] kafkaNames;

    private HeaderMapping(String[] eventNames, String[] kafkaNames) {
        this.eventNames = eventNames;
        this.kafkaNames = kafkaNames;
    }

    /** From the component's {@code header.*} keys, prefix removed; in key order, so the result does not vary. */
    public static HeaderMapping of(Map<String, String> headerKeys) {
        if (headerKeys.isEmpty()) {
            return NONE;
        }
        Map<String, String> sorted = new TreeMap<>(headerKeys);
        return new HeaderMapping(sorted.keySet().toArray(String[]::new),
                sorted.values().stream().map(String::trim).toArray(String[]::new));
    }

    public boolean isEmpty() {
        return eventNames.length == 0;
    }

    /** The record headers for an event's headers; null when none of the mapped headers is set (as Flume). */
    public List<Header> toKafka(Map<String, String> eventHeaders) {
        List<Header> headers = null;
        for (int i = 0; i < eventNames.length; i++) {
            String value = eventHeaders.get(eventNames[i]);
            if (value != null) {
                if (headers == null) {
                    headers = new ArrayList<>(eventNames.length);
                }
                headers.add(new RecordHeader(kafkaNames[i], value.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return headers;
    }

    /** Sets the mapped event headers from a record's headers; of several with one name the last wins, as in Flume. */
    public void toEvent(Headers recordHeaders, Map<String, String> eventHeaders) {
        for (int i = 0; i < eventNames.length; i++) {
            for (Header header : recordHeaders.headers(kafkaNames[i])) {
                if (header.value() != null) {
                    eventHeaders.put(eventNames[i], new String(header.value(), StandardCharsets.UTF_8));
                }
            }
        }
    }
}
