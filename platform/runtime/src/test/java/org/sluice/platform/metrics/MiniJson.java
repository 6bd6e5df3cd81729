package org.sluice.platform.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict parser for the reporter's shape only, an object whose values are objects of strings, so that a
 * test reads the JSON as a client would rather than matching text. Anything else is an error.
 */
final class MiniJson {
    private final String text;
    private int at;

    private MiniJson(String text) {
        this.text = text;
    }

    static Map<String, Map<String, String>> parseObjectOfObjects(String text) {
        MiniJson p = new MiniJson(text);
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        p.expect('{');
        if (!p.peek('}')) {
            do {
                String key = p.string();
                p.expect(':');
                if (out.put(key, p.objectOfStrings()) != null) {
                    throw new IllegalArgumentException("duplicate key " + key);
                }
            } while (p.maybe(','));
        }
        p.expect('}');
        p.skipSpace();
        if (p.at != text.length()) {
            throw new IllegalArgumentException("trailing text at " + p.at);
        }
        return out;
    }

    private Map<String, String> objectOfStrings() {
        Map<String, String> out = new LinkedHashMap<>();
        expect('{');
        if (!peek('}')) {
            do {
                String key = string();
                expect(':');
                skipSpace();
                if (text.charAt(at) != '"') {
                    throw new IllegalArgumentException("value of " + key + " is not a string at " + at);
                }
                out.put(key, string());
            } while (maybe(','));
        }
        expect('}');
        return out;
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("raw control character at " + (at - 1));
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e + " at " + at);
            }
        }
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private boolean peek(char c) {
        skipSpace();
        return at < text.length() && text.charAt(at) == c;
    }

    private boolean maybe(char c) {
        if (peek(c)) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!maybe(c)) {
            throw new IllegalArgumentException("expected " + c + " at " + at + " in " + text);
        }
    }
}
