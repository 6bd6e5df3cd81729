package org.sluice.platform.metrics;

import java.util.Map;

/** The one JSON shape the HTTP reporter writes, an object of objects of strings, written by hand. */
final class Json {

    private Json() {
    }

    /** {@code {"SOURCE.r1":{"EventReceivedCount":"10",...},...}} in the maps' iteration order. */
    static String objectOfObjects(Map<String, Map<String, String>> objects) {
        StringBuilder out = new StringBuilder(256 * (objects.size() + 1));
        out.append('{');
        boolean firstObject = true;
        for (Map.Entry<String, Map<String, String>> object : objects.entrySet()) {
            if (!firstObject) {
                out.append(',');
            }
            firstObject = false;
            string(out, object.getKey());
            out.append(":{");
            boolean firstMember = true;
            for (Map.Entry<String, String> member : object.getValue().entrySet()) {
                if (!firstMember) {
                    out.append(',');
                }
                firstMember = false;
                string(out, member.getKey());
                out.append(':');
                string(out, member.getValue());
            }
            out.append('}');
        }
        return out.append('}').toString();
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259, section 7). */
    static void string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
