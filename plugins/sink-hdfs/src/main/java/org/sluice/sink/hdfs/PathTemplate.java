package org.sluice.sink.hdfs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A string with Flume's escape sequences ({@code hdfs.path}, {@code hdfs.filePrefix}), parsed once at
 * configuration time so that an unknown escape is reported then, naming the key, instead of failing every
 * event. Time escapes read the event's {@code timestamp} header (or the local clock with
 * {@code hdfs.useLocalTimeStamp}), rounded down as {@code hdfs.round*} say, in {@code hdfs.timeZone}.
 */
final class PathTemplate {
    /** The header Flume's time escapes read, as written by the timestamp interceptor. */
    static final String TIMESTAMP_HEADER = "timestamp";

    /** How event times are turned into path parts: clock, rounding, zone. */
    static final class TimeRules {
        final boolean useLocalTimeStamp;
        final boolean round;
        final int roundValue;
        final ChronoUnit roundUnit;
        final ZoneId zone;
        final Locale locale;

        TimeRules(boolean useLocalTimeStamp, boolean round, int roundValue, ChronoUnit roundUnit, ZoneId zone) {
            this.useLocalTimeStamp = useLocalTimeStamp;
            this.round = round;
            this.roundValue = roundValue;
            this.roundUnit = roundUnit;
            this.zone = zone;
            // Flume formats names with the JVM's default locale (SimpleDateFormat); so does this sink.
            this.locale = Locale.getDefault(Locale.Category.FORMAT);
        }
    }

    /** Thrown for an event the template cannot be applied to: a time escape without a timestamp. */
    static final class UnresolvableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnresolvableException(String message) {
            super(message);
        }
    }

    private interface Part {
        void append(StringBuilder out, Map<String, String> headers, ZonedDateTime rounded, long rawMillis);
    }

    private final String template;
    private final List<Part> parts;
    private final boolean needsTime;
    private final TimeRules rules;

    private PathTemplate(String template, List<Part> parts, boolean needsTime, TimeRules rules) {
        this.template = template;
        this.parts = parts;
        this.needsTime = needsTime;
        this.rules = rules;
    }

    /** Parses {@code template}; an unknown escape throws IllegalArgumentException with a message for the user. */
    static PathTemplate parse(String template, TimeRules rules) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        boolean needsTime = false;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != '%' || i + 1 == template.length()) {
                literal.append(c);
                continue;
            }
            char code = template.charAt(++i);
            Part part;
            if (code == '{' || code == '[') {
                char close = code == '{' ? '}' : ']';
                int end = template.indexOf(close, i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("'%" + code + "' at position " + (i - 1) + " is not closed by '"
                            + close + "'");
                }
                String name = template.substring(i + 1, end);
                i = end;
                part = code == '{' ? header(name) : host(name);
            } else {
                part = time(code, rules);
                if (part == null) {
                    throw new IllegalArgumentException("'%" + code + "' at position " + (i - 1)
                            + " is not one of Flume's escapes (%{header}, %[localhost], %[IP], %[FQDN], "
                            + "%a %A %b %B %c %d %D %e %H %I %j %k %l %m %M %n %p %s %S %t %y %Y %z)");
                }
                needsTime = true;
            }
            if (literal.length() > 0) {
                String text = literal.toString();
                parts.add((out, headers, time, raw) -> out.append(text));
                literal.setLength(0);
            }
            parts.add(part);
        }
        if (literal.length() > 0) {
            String text = literal.toString();
            parts.add((out, headers, time, raw) -> out.append(text));
        }
        return new PathTemplate(template, List.copyOf(parts), needsTime, rules);
    }

    private static Part header(String name) {
        // A missing header gives an empty string, as in Flume.
        return (out, headers, time, raw) -> {
            String value = headers.get(name);
            if (value != null) {
                out.append(value);
            }
        };
    }

    private static Part host(String name) {
        String value;
        try {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "localhost":
                    value = InetAddress.getLocalHost().getHostName();
                    break;
                case "ip":
                    value = InetAddress.getLocalHost().getHostAddress();
                    break;
                case "fqdn":
                    value = InetAddress.getLocalHost().getCanonicalHostName();
                    break;
                default:
                    throw new IllegalArgumentException("'%[" + name + "]' is not one of %[localhost], %[IP], %[FQDN]");
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'%[" + name + "]': this host's name cannot be looked up: " + e, e);
        }
        return (out, headers, time, raw) -> out.append(value);
    }

    /** The time escapes; null for an unknown code. */
    private static Part time(char code, TimeRules rules) {
        switch (code) {
            case 't':
                // Not rounded, as in Flume: the raw milliseconds.
                return (out, headers, time, raw) -> out.append(raw);
            case 's':
                return (out, headers, time, raw) -> out.append(time.toEpochSecond());
            case 'a':
                return pattern("EEE", rules);
            case 'A':
                return pattern("EEEE", rules);
            case 'b':
                return pattern("MMM", rules);
            case 'B':
                return pattern("MMMM", rules);
            case 'c':
                return pattern("EEE MMM d HH:mm:ss yyyy", rules);
            case 'd':
                return pattern("dd", rules);
            case 'e':
                return pattern("d", rules);
            case 'D':
                return pattern("MM/dd/yy", rules);
            case 'H':
                return pattern("HH", rules);
            case 'I':
                return pattern("hh", rules);
            case 'j':
                return pattern("DDD", rules);
            case 'k':
                return pattern("H", rules);
            case 'l':
                return pattern("h", rules);
            case 'm':
                return pattern("MM", rules);
            case 'n':
                return pattern("M", rules);
            case 'M':
                return pattern("mm", rules);
            case 'p':
                return pattern("a", rules);
            case 'S':
                return pattern("ss", rules);
            case 'y':
                return pattern("yy", rules);
            case 'Y':
                return pattern("yyyy", rules);
            case 'z':
                return pattern("xx", rules);
            default:
                return null;
        }
    }

    private static Part pattern(String pattern, TimeRules rules) {
        DateTimeFormatter formatter = DateTimeFormatter.ofPattern(pattern, rules.locale);
        return (out, headers, time, raw) -> formatter.formatTo(time, out);
    }

    /** Whether any part depends on the event's time, so events without a timestamp cannot use it. */
    boolean needsTime() {
        return needsTime;
    }

    /** The string for one event; {@code now} is the local clock, used with {@code hdfs.useLocalTimeStamp}. */
    String resolve(Map<String, String> headers, long now) throws UnresolvableException {
        long millis = 0;
        ZonedDateTime time = null;
        if (needsTime) {
            millis = rules.useLocalTimeStamp ? now : timestamp(headers);
            time = round(Instant.ofEpochMilli(millis).atZone(rules.zone));
        }
        StringBuilder out = new StringBuilder(template.length() + 16);
        for (Part part : parts) {
            part.append(out, headers, time, millis);
        }
        return out.toString();
    }

    private static long timestamp(Map<String, String> headers) throws UnresolvableException {
        String value = headers.get(TIMESTAMP_HEADER);
        if (value == null) {
            throw new UnresolvableException("the event has no '" + TIMESTAMP_HEADER + "' header, which the time "
                    + "escapes of the path need; add the timestamp interceptor or set hdfs.useLocalTimeStamp = true");
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UnresolvableException("the event's '" + TIMESTAMP_HEADER + "' header '" + value
                    + "' is not a number of milliseconds");
        }
    }

    /** Rounds down to a multiple of roundValue units within the next larger unit, in the sink's zone. */
    private ZonedDateTime round(ZonedDateTime time) {
        if (!rules.round) {
            return time;
        }
        ZonedDateTime truncated = time.truncatedTo(rules.roundUnit);
        ChronoField field;
        switch (rules.roundUnit) {
            case HOURS:
                field = ChronoField.HOUR_OF_DAY;
                break;
            case MINUTES:
                field = ChronoField.MINUTE_OF_HOUR;
                break;
            default:
                field = ChronoField.SECOND_OF_MINUTE;
                break;
        }
        int value = truncated.get(field);
        return truncated.with(field, value - value % rules.roundValue);
    }

    @Override
    public String toString() {
        return template;
    }
}
