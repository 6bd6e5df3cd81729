package org.sluice.platform.configtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** What differs between the events a test expects and those that came out, one readable line each. */
public final class Differences {
    private static final int QUOTED_LIMIT = 200;

    private Differences() {
    }

    /** Empty when the test passes. */
    public static List<String> between(ConfigTestSuite.ConfigTest test, List<RoutedEvent> actual) {
        List<String> differences = new ArrayList<>();
        if (actual.size() != test.expectedCount()) {
            differences.add("expected " + test.expectedCount() + " event(s) out of the interceptors, but "
                    + actual.size() + " came out" + (actual.isEmpty() ? "" : ":"));
            for (int i = 0; i < actual.size(); i++) {
                differences.add("    " + (i + 1) + ": " + actual.get(i).describe());
            }
        }
        for (ConfigTestSuite.ExpectedEvent expected : test.expected()) {
            if (expected.index() > actual.size()) {
                continue;
            }
            compare(expected, actual.get(expected.index() - 1), differences);
        }
        return differences;
    }

    private static void compare(ConfigTestSuite.ExpectedEvent expected, RoutedEvent event, List<String> out) {
        String at = "event " + expected.index() + " ";
        expected.body().filter(body -> !body.equals(event.body())).ifPresent(body ->
                out.add(at + "body: expected " + quote(body) + " but was " + quote(event.body())));
        expected.bodyMatching().filter(pattern -> !pattern.matcher(event.body()).matches()).ifPresent(pattern ->
                out.add(at + "body: expected to match /" + pattern + "/ but was " + quote(event.body())));
        for (Map.Entry<String, String> header : expected.headers().entrySet()) {
            String value = event.headers().get(header.getKey());
            if (!header.getValue().equals(value)) {
                out.add(at + "header " + header.getKey() + ": expected " + quote(header.getValue()) + " but "
                        + (value == null ? "it is absent" : "was " + quote(value)));
            }
        }
        for (Map.Entry<String, Pattern> header : expected.headersMatching().entrySet()) {
            String value = event.headers().get(header.getKey());
            if (value == null || !header.getValue().matcher(value).matches()) {
                out.add(at + "header " + header.getKey() + ": expected to match /" + header.getValue() + "/ but "
                        + (value == null ? "it is absent" : "was " + quote(value)));
            }
        }
        for (String header : expected.headersAbsent()) {
            if (event.headers().containsKey(header)) {
                out.add(at + "header " + header + ": expected absent but was " + quote(event.headers().get(header)));
            }
        }
        expected.channels().ifPresent(channels -> compareChannels(at + "channels", channels, event.channels(), out));
        expected.optionalChannels().ifPresent(channels ->
                compareChannels(at + "optional channels", channels, event.optionalChannels(), out));
    }

    private static void compareChannels(String what, Set<String> expected, List<String> actual, List<String> out) {
        if (!new TreeSet<>(expected).equals(new TreeSet<>(actual))) {
            out.add(what + ": expected " + new TreeSet<>(expected) + " but was " + new TreeSet<>(actual));
        }
    }

    /** A value in double quotes, control characters escaped, cut at a readable length. */
    static String quote(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        int limit = Math.min(value.length(), QUOTED_LIMIT);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        quoted.append('"');
        if (value.length() > limit) {
            quoted.append("... (").append(value.length()).append(" characters)");
        }
        return quoted.toString();
    }
}
