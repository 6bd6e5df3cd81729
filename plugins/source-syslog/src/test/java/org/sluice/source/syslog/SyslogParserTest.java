package org.sluice.source.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sluice.api.event.Event;

/** Flume 1.11's headers and bodies for RFC 3164 and RFC 5424 messages, in both dialects. */
class SyslogParserTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** 6 December 2026, in the afternoon in Paris. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T15:00:00Z"), PARIS);

    private static Event parse(Dialect dialect, String keep, String message) {
        return parse(dialect, keep, message, CLOCK);
    }

    private static Event parse(Dialect dialect, String keep, String message, Clock clock) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        return new SyslogParser(dialect, KeepFields.parse(keep), StandardCharsets.UTF_8, clock)
                .parse(bytes, 0, bytes.length, false);
    }

    private static String body(Event event) {
        return new String(event.getBody(), StandardCharsets.UTF_8);
    }

    private static long millis(int year, int month, int day, int hour, int minute, int second, ZoneId zone) {
        return ZonedDateTime.of(year, month, day, hour, minute, second, 0, zone).toInstant().toEpochMilli();
    }

    @Test
    void rfc3164InLocalTimeOfThisYear() {
        Event event = parse(Dialect.SINGLE_PORT, "none", "<34>Oct 11 22:14:15 mymachine su: 'su root' failed");
        assertEquals(Map.of("Facility", "4", "Severity", "2", "priority", "34", "host", "mymachine",
                "timestamp", Long.toString(millis(2026, 10, 11, 22, 14, 15, PARIS))), event.getHeaders());
        assertEquals("su: 'su root' failed", body(event));
    }

    @Test
    void rfc3164WithASpacePaddedDay() {
        Event event = parse(Dialect.SINGLE_PORT, "none", "<13>Dec  1 08:00:01 web-1 app[42]: ready");
        assertEquals(Long.toString(millis(2026, 12, 1, 8, 0, 1, PARIS)), event.getHeaders().get("timestamp"));
        assertEquals("web-1", event.getHeaders().get("host"));
        assertEquals("app[42]: ready", body(event));
    }

    @Test
    void rfc3164YearIsTheOneThatPutsTheMessageNearNow() {
        Clock newYear = Clock.fixed(Instant.parse("2027-01-01T00:05:00Z"), ZoneId.of("UTC"));
        Event lastYear = parse(Dialect.SINGLE_PORT, "none", "<13>Dec 31 23:59:58 h m", newYear);
        assertEquals(Long.toString(millis(2026, 12, 31, 23, 59, 58, ZoneId.of("UTC"))),
                lastYear.getHeaders().get("timestamp"));
        // A sender whose clock runs a little ahead, at the end of the year.
        Clock endOfYear = Clock.fixed(Instant.parse("2026-12-31T23:59:00Z"), ZoneId.of("UTC"));
        Event nextYear = parse(Dialect.SINGLE_PORT, "none", "<13>Jan  1 00:00:03 h m", endOfYear);
        assertEquals(Long.toString(millis(2027, 1, 1, 0, 0, 3, ZoneId.of("UTC"))),
                nextYear.getHeaders().get("timestamp"));
    }

    @Test
    void rfc5424WithEveryHeader() {
        String message = "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
                + "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\"] An application event";
        Event event = parse(Dialect.SINGLE_PORT, "none", message);
        assertEquals(Map.of("Facility", "20", "Severity", "5", "priority", "165", "version", "1",
                "timestamp", "1065910455003", "host", "mymachine.example.com"), event.getHeaders());
        assertEquals("evntslog - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\"] An application event",
                body(event));
    }

    @Test
    void rfc5424OffsetsAndFractionsCutToMilliseconds() {
        Event event = parse(Dialect.SINGLE_PORT, "none", "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc");
        assertEquals("1061727255000", event.getHeaders().get("timestamp"));
        Event plus = parse(Dialect.SINGLE_PORT, "none", "<165>1 2003-08-24T05:14:15.1+02:30 h m");
        assertEquals(Long.toString(Instant.parse("2003-08-24T02:44:15.100Z").toEpochMilli()),
                plus.getHeaders().get("timestamp"));
        Event local = parse(Dialect.SINGLE_PORT, "none", "<165>1 2003-08-24T05:14:15 h m");
        assertEquals(Long.toString(millis(2003, 8, 24, 5, 14, 15, PARIS)), local.getHeaders().get("timestamp"));
    }

    @Test
    void multiportNamesPriorityAndVersionWithCapitals() {
        Event event = parse(Dialect.MULTIPORT, "none", "<165>1 2003-10-11T22:14:15.003Z host app - - - hello");
        assertEquals(Map.of("Facility", "20", "Severity", "5", "Priority", "165", "Version", "1",
                "timestamp", "1065910455003", "host", "host"), event.getHeaders());
        assertEquals("app - - - hello", body(event));
    }

    @Test
    void nilTimestampAndHost() {
        Event single = parse(Dialect.SINGLE_PORT, "none", "<14>1 - - app - - - text");
        assertEquals(Map.of("Facility", "1", "Severity", "6", "priority", "14", "version", "1"), single.getHeaders());
        assertEquals("app - - - text", body(single));
        Event multi = parse(Dialect.MULTIPORT, "none", "<14>1 - - app - - - text");
        assertEquals(Long.toString(CLOCK.millis()), multi.getHeaders().get("timestamp"));
        assertEquals("-", multi.getHeaders().get("host"));
    }

    @Test
    void withoutPriorityTheMessageIsInvalid() {
        Event single = parse(Dialect.SINGLE_PORT, "none", "just some text");
        assertEquals(Map.of("Facility", "0", "Severity", "0", "flume.syslog.status", "Invalid"), single.getHeaders());
        assertEquals("just some text", body(single));
        Event multi = parse(Dialect.MULTIPORT, "none", "<abc>Oct 11 22:14:15 h m");
        assertEquals(Map.of("flume.syslog.status", "Invalid"), multi.getHeaders());
        assertEquals("<abc>Oct 11 22:14:15 h m", body(multi));
        assertEquals("Invalid", parse(Dialect.SINGLE_PORT, "none", "<1234>x").getHeaders().get("flume.syslog.status"));
        assertEquals("Invalid", parse(Dialect.SINGLE_PORT, "none", "<>x").getHeaders().get("flume.syslog.status"));
    }

    @Test
    void anUnreadableTimestampPassesTheMessageWholeOrIsInvalidForMultiport() {
        Event single = parse(Dialect.SINGLE_PORT, "none", "<13>yesterday host text");
        assertEquals(Map.of("Facility", "1", "Severity", "5"), single.getHeaders());
        assertEquals("<13>yesterday host text", body(single));
        Event multi = parse(Dialect.MULTIPORT, "none", "<13>yesterday host text");
        assertEquals(Map.of("flume.syslog.status", "Invalid"), multi.getHeaders());
    }

    @Test
    void keepFields() {
        String message = "<165>1 2003-10-11T22:14:15.003Z mymachine app - - - hello";
        assertEquals(message, body(parse(Dialect.SINGLE_PORT, "all", message)));
        assertEquals(message, body(parse(Dialect.MULTIPORT, "true", message)));
        assertEquals("<165>1 2003-10-11T22:14:15.003Z mymachine app - - - hello",
                body(parse(Dialect.SINGLE_PORT, "priority version timestamp hostname", message)));
        assertEquals("2003-10-11T22:14:15.003Z mymachine app - - - hello",
                body(parse(Dialect.SINGLE_PORT, "timestamp hostname", message)));
        assertEquals("<165>app - - - hello", body(parse(Dialect.MULTIPORT, "priority", message)));
        assertEquals("app - - - hello", body(parse(Dialect.SINGLE_PORT, "false", message)));
        // The headers are there whatever the body keeps.
        assertEquals("mymachine", parse(Dialect.SINGLE_PORT, "all", message).getHeaders().get("host"));
    }

    @Test
    void aMessageEndingAtItsHostIsNotReadAsFlumeDoesNot() {
        Event single = parse(Dialect.SINGLE_PORT, "none", "<13>Oct 11 22:14:15 host");
        assertEquals(Map.of("Facility", "1", "Severity", "5"), single.getHeaders());
        assertEquals("<13>Oct 11 22:14:15 host", body(single));
        assertEquals(Map.of("flume.syslog.status", "Invalid"),
                parse(Dialect.MULTIPORT, "none", "<13>Oct 11 22:14:15 host").getHeaders());
        // With the space, the message is read, and its empty text gives the whole line as body.
        Event empty = parse(Dialect.SINGLE_PORT, "none", "<13>Oct 11 22:14:15 host ");
        assertEquals("host", empty.getHeaders().get("host"));
        assertEquals("<13>Oct 11 22:14:15 host ", body(empty));
    }

    @Test
    void incompleteIsMarked() {
        byte[] bytes = "<13>Oct 11 22:14:15 host the beginn".getBytes(StandardCharsets.UTF_8);
        SyslogParser parser = new SyslogParser(Dialect.SINGLE_PORT, KeepFields.NONE, StandardCharsets.UTF_8, CLOCK);
        Event event = parser.parse(bytes, 0, bytes.length, true);
        assertEquals("Incomplete", event.getHeaders().get("flume.syslog.status"));
        assertEquals("the beginn", body(event));
        assertFalse(parser.lastInvalid());
        Event invalid = parser.parse(bytes, 5, bytes.length, true);
        assertEquals("Invalid", invalid.getHeaders().get("flume.syslog.status"));
        assertTrue(parser.lastInvalid());
    }

    @Test
    void multiportRefusesTextNotInItsCharset() {
        byte[] bytes = {'<', '1', '3', '>', 'O', 'c', 't', ' ', '1', '1', ' ', '2', '2', ':', '1', '4', ':', '1', '5',
            ' ', 'h', ' ', (byte) 0xc3, (byte) 0x28};
        Event multi = new SyslogParser(Dialect.MULTIPORT, KeepFields.NONE, StandardCharsets.UTF_8, CLOCK)
                .parse(bytes, 0, bytes.length, false);
        assertEquals("Invalid", multi.getHeaders().get("flume.syslog.status"));
        Event latin = new SyslogParser(Dialect.MULTIPORT, KeepFields.NONE, StandardCharsets.ISO_8859_1, CLOCK)
                .parse(bytes, 0, bytes.length, false);
        assertEquals("h", latin.getHeaders().get("host"));
        assertEquals(2, latin.getBody().length);
    }

    @Test
    void leapDayOnlyInALeapYear() {
        Clock march2028 = Clock.fixed(Instant.parse("2028-03-10T00:00:00Z"), ZoneId.of("UTC"));
        assertEquals(Long.toString(millis(2028, 2, 29, 12, 0, 0, ZoneId.of("UTC"))),
                parse(Dialect.SINGLE_PORT, "none", "<13>Feb 29 12:00:00 h m", march2028).getHeaders().get("timestamp"));
        Event noSuchDay = parse(Dialect.SINGLE_PORT, "none", "<13>Feb 30 12:00:00 h m", march2028);
        assertFalse(noSuchDay.getHeaders().containsKey("timestamp"));
        assertEquals("h", noSuchDay.getHeaders().get("host"));
    }
}
