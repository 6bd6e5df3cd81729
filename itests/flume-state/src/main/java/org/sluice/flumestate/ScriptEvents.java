package org.sluice.flumestate;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apache.flume.Event;
import org.apache.flume.event.EventBuilder;

/**
 * The events the scripts put into Flume's channels, numbered: each carries its number in header {@code n}, and
 * headers and bodies of the kinds a takeover must keep intact (an empty value, non-ASCII text, an empty body, a
 * body of several kilobytes). Events numbered 1000 and above are large: a 40 KB body and a header whose name and
 * value are 300 characters, which Flume's jdbc channel keeps in its spill tables. Also the line a script prints for an event, which the expected-events files of
 * Sluice's saved format samples use: the body, then the headers in key order as key=value, each URL-encoded
 * (UTF-8), separated by tabs.
 */
public final class ScriptEvents {
    private ScriptEvents() {
    }

    public static Event event(int n) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("n", Integer.toString(n));
        if (n >= 1000) {
            headers.put("long-" + "k".repeat(295), "v\u00e4".repeat(150));
            return EventBuilder.withBody(("large event " + n + " ").repeat(2500).getBytes(StandardCharsets.UTF_8),
                    headers);
        }
        headers.put("source", "flume-1.11.0");
        if (n % 4 == 0) {
            headers.put("blank", "");
        }
        if (n % 6 == 1) {
            headers.put("place", "K\u00f8benhavn \u2014 \u6771\u4eac");
        }
        String body;
        if (n % 10 == 7) {
            body = "";
        } else if (n % 13 == 5) {
            body = ("line " + n + " of a large event. ").repeat(200);
        } else {
            body = "event " + n + (n % 3 == 2 ? " caf\u00e9 \ud83d\udc0d" : "");
        }
        return EventBuilder.withBody(body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** The event as one line, as described above. */
    public static String line(Event event) {
        StringBuilder line = new StringBuilder(encode(new String(event.getBody(), StandardCharsets.UTF_8)));
        for (Map.Entry<String, String> header : new TreeMap<>(event.getHeaders()).entrySet()) {
            line.append('\t').append(encode(header.getKey())).append('=').append(encode(header.getValue()));
        }
        return line.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
