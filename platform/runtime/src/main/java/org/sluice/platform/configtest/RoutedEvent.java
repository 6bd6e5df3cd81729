package org.sluice.platform.configtest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An event as it left a source's interceptors, with the channels its selector chose for it.
 *
 * @param body             the body, read as UTF-8
 * @param headers          the headers
 * @param channels         the required channels, in the selector's order
 * @param optionalChannels the optional ones
 */
public record RoutedEvent(String body, Map<String, String> headers, List<String> channels,
        List<String> optionalChannels) {

    public RoutedEvent {
        headers = Map.copyOf(headers);
        channels = List.copyOf(channels);
        optionalChannels = List.copyOf(optionalChannels);
    }

    public static RoutedEvent of(byte[] body, Map<String, String> headers, List<String> channels,
            List<String> optionalChannels) {
        return new RoutedEvent(new String(body, StandardCharsets.UTF_8), headers, channels, optionalChannels);
    }

    /** One line: headers sorted by name, the body quoted, the channels. */
    public String describe() {
        return "headers " + new TreeMap<>(headers) + " body " + Differences.quote(body) + " -> channels " + channels
                + (optionalChannels.isEmpty() ? "" : " optional " + optionalChannels);
    }
}
