package org.sluice.source.syslog;

import java.util.Locale;

/**
 * Flume's {@code keepFields}: which parts of the syslog header stay in the event body in front of the message,
 * besides being headers. {@code none} or {@code false} keeps none (the default), {@code all} or {@code true} keeps the
 * whole message as received, and a list names any of {@code priority version timestamp hostname}, matched anywhere in
 * the value, as Flume matches them.
 */
record KeepFields(boolean all, boolean priority, boolean version, boolean timestamp, boolean hostname) {
    static final KeepFields NONE = new KeepFields(false, false, false, false, false);
    static final KeepFields ALL = new KeepFields(true, true, true, true, true);

    static KeepFields parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty() || v.equals("none") || v.equals("false")) {
            return NONE;
        }
        if (v.equals("all") || v.equals("true")) {
            return ALL;
        }
        return new KeepFields(false, v.contains("priority"), v.contains("version"), v.contains("timestamp"),
                v.contains("hostname"));
    }

    boolean any() {
        return priority || version || timestamp || hostname;
    }
}
