package org.sluice.source.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.apache.flume.source.SyslogUtils;
import org.junit.jupiter.api.Test;
import org.sluice.api.event.Event;

/**
 * Flume 1.11.0's own parsers, from Maven Central, and Sluice's on the same bytes: what senders really write (util-linux
 * {@code logger} and rsyslog in both formats, the RFCs' examples) and what they write wrong. Users' interceptors,
 * selectors and sinks read these headers and bodies, so they must be Flume's, except where docs/plugin-guide.md says
 * Sluice differs on purpose (octet counting, a CR before LF, multiport's time zone); those are left out here, or, for
 * the time zone, checked to be exactly the documented difference.
 */
class FlumeParityTest {
    /** Flume's syslogtcp reads RFC 3164 and zone-less RFC 5424 times in the JVM's zone, Sluice in the agent's. */
    private static final Clock CLOCK = Clock.systemDefaultZone();
    private static final DateTimeFormatter RFC3164_TIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

    /** A time with a fraction of a second and a zone: Flume's syslogtcp reads it without the zone. */
    private static final Pattern FRACTION_AND_ZONE = Pattern.compile("T\\d\\d:\\d\\d:\\d\\d\\.\\d+(Z|[+-]\\d\\d:\\d\\d) ");

    /** Near now, so that both parsers' guess of the year agrees whatever the day of the run. */
    private static String rfc3164Now(int secondsAgo) {
        return LocalDateTime.now(CLOCK).minusSeconds(secondsAgo).format(RFC3164_TIME);
    }

    private static List<String> messages() {
        return List.of(
                // logger --rfc3164 and rsyslog's RFC 3164 forwarding template.
                "<156>" + rfc3164Now(5) + " web-1 sluice-test: hello world",
                "<13>" + rfc3164Now(3600) + " host.example.com app[123]: a message with [brackets] and: colons",
                "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
                // logger --rfc5424 (microseconds and an offset), the RFC's examples, nil values.
                "<156>1 2026-12-06T02:20:01.123456+01:00 web-1 sluice-test 4242 - [timeQuality tzKnown=\"1\" "
                        + "isSynced=\"1\" syncAccuracy=\"123\"] hello",
                "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
                        + "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\"] An application event",
                "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
                "<165>1 2003-08-24T05:14:15-07:00 host app - - - seconds only",
                "<165>1 2003-08-24T05:14:15.5Z host app - - - a tenth",
                "<14>1 - - app - - - nil time and host",
                "<14>1 2003-10-11T22:14:15.003Z - app - - - nil host",
                // What is not syslog, or not quite.
                "just some text",
                "<abc>Oct 11 22:14:15 h m",
                "<1234>x",
                "<>x",
                "<13>yesterday host text",
                "<13>Oct 11 22:14:15 host",
                "<13>Oct 11 22:14:15 host ");
    }

    private static List<Map<String, String>> flumeTcp(String stream, int eventSize, String keep) {
        SyslogUtils flume = new SyslogUtils(eventSize, SyslogUtils.chooseFieldsToKeep(keep), false, CLOCK);
        ByteBuf buffer = Unpooled.wrappedBuffer(stream.getBytes(StandardCharsets.UTF_8));
        List<Map<String, String>> events = new ArrayList<>();
        // As Flume's syslogtcp source reads a buffer: events until one is not complete.
        while (buffer.isReadable()) {
            org.apache.flume.Event event = flume.extractEvent(buffer);
            if (event == null) {
                break;
            }
            events.add(withBody(event.getHeaders(), event.getBody()));
        }
        return events;
    }

    private static List<Map<String, String>> sluiceTcp(String stream, int eventSize, String keep) {
        EmbeddedChannel channel = new EmbeddedChannel(new SyslogFrameDecoder(eventSize, () -> { }));
        channel.writeInbound(Unpooled.wrappedBuffer(stream.getBytes(StandardCharsets.UTF_8)));
        SyslogParser parser = new SyslogParser(Dialect.SINGLE_PORT, KeepFields.parse(keep), StandardCharsets.UTF_8,
                CLOCK);
        List<Map<String, String>> events = new ArrayList<>();
        for (Object frame; (frame = channel.readInbound()) != null; ) {
            SyslogFrame syslogFrame = (SyslogFrame) frame;
            Event event = parser.parse(syslogFrame.bytes(), 0, syslogFrame.bytes().length, syslogFrame.incomplete());
            events.add(withBody(event.getHeaders(), event.getBody()));
        }
        channel.finishAndReleaseAll();
        return events;
    }

    /** The headers and, under a key no header has, the body: one value to compare. */
    private static Map<String, String> withBody(Map<String, String> headers, byte[] body) {
        return withBody(headers, body, StandardCharsets.UTF_8);
    }

    /** The headers and, under a key no header has, the body as text in {@code charset}. */
    static Map<String, String> withBody(Map<String, String> headers, byte[] body, Charset charset) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("(body)", new String(body, charset));
        return all;
    }

    @Test
    void syslogTcpGivesFlumesHeadersAndBodiesForEveryKeepFields() {
        for (String keep : List.of("none", "all", "false", "true", "timestamp hostname", "priority version",
                "priority version timestamp hostname")) {
            for (String message : messages()) {
                // One message per connection: Flume's parser keeps a message's priority and version for the next
                // one (flumesStaleHeadersAreNotCopied).
                List<Map<String, String>> flume = flumeTcp(message + "\n", 2500, keep);
                List<Map<String, String>> sluice = sluiceTcp(message + "\n", 2500, keep);
                assertEquals(1, flume.size(), "Flume's events of " + message);
                if (FRACTION_AND_ZONE.matcher(message).find()) {
                    // Both read a time; which one is aFractionAndAnOffsetAreBothRead's matter.
                    assertEquals(flume.get(0).containsKey("timestamp"), sluice.get(0).remove("timestamp") != null);
                    flume.get(0).remove("timestamp");
                }
                String flumeBody = flume.get(0).get("(body)");
                if (flumeBody.contains("null ") && !message.contains("null ")) {
                    // Documented: Flume keeps a nil timestamp or host ("-") as the word null.
                    flume.get(0).put("(body)", flumeBody.replace("null ", "- "));
                }
                assertEquals(flume, sluice, "keepFields = " + keep + ", message " + message);
            }
        }
    }

    @Test
    void aFractionAndAnOffsetAreBothRead() {
        // Documented: with a fraction of a second, Flume's syslogtcp ignores the offset (or Z) and reads the time in
        // the JVM's zone; logger --rfc5424 writes both. Sluice reads the instant the sender meant.
        String message = "<156>1 2026-12-06T02:20:01.123456+05:00 web-1 sluice-test 4242 - - hello";
        Map<String, String> flume = flumeTcp(message + "\n", 2500, "none").get(0);
        Map<String, String> sluice = sluiceTcp(message + "\n", 2500, "none").get(0);
        assertEquals(Long.toString(LocalDateTime.of(2026, 12, 6, 2, 20, 1, 123_000_000).atZone(ZoneId.systemDefault())
                .toInstant().toEpochMilli()), flume.remove("timestamp"));
        assertEquals(Long.toString(java.time.Instant.parse("2026-12-05T21:20:01.123Z").toEpochMilli()),
                sluice.remove("timestamp"));
        assertEquals(flume, sluice);
    }

    @Test
    void flumesStaleHeadersAreNotCopied() {
        // Documented: Flume's syslogtcp parser keeps a message's priority and version headers for the next message on
        // the connection that it cannot read (an invalid one, or one whose time it cannot read), which then carries
        // them.
        String stream = "<165>1 2003-10-11T22:14:15.003Z host app - - - read\n"
                + "<13>yesterday host no time\n" + "not syslog\n";
        List<Map<String, String>> flume = flumeTcp(stream, 2500, "none");
        List<Map<String, String>> sluice = sluiceTcp(stream, 2500, "none");
        assertEquals(List.of("165", "1", "165", "1"), List.of(flume.get(1).get("priority"),
                flume.get(1).get("version"), flume.get(2).get("priority"), flume.get(2).get("version")));
        assertEquals(Map.of("Facility", "1", "Severity", "5", "(body)", "<13>yesterday host no time"), sluice.get(1));
        assertEquals(Map.of("Facility", "0", "Severity", "0", "flume.syslog.status", "Invalid", "(body)", "not syslog"),
                sluice.get(2));
        assertEquals(withoutStaleHeaders(flume, sluice), sluice);
    }

    /** Flume's events without the priority and version headers that Sluice's do not have. */
    private static List<Map<String, String>> withoutStaleHeaders(List<Map<String, String>> flume,
            List<Map<String, String>> sluice) {
        List<Map<String, String>> cleaned = new ArrayList<>();
        for (int i = 0; i < flume.size(); i++) {
            Map<String, String> event = new HashMap<>(flume.get(i));
            for (String header : List.of("priority", "version")) {
                if (i < sluice.size() && !sluice.get(i).containsKey(header)) {
                    event.remove(header);
                }
            }
            cleaned.add(event);
        }
        return cleaned;
    }

    @Test
    void eventSizeCutsAndMarksAsFlumeDoes() {
        // A message of eventSize bytes or more: Flume cuts it there (Incomplete), and its rest is read as the next
        // message (Invalid). Empty lines are skipped.
        String longLine = "<13>Oct 11 22:14:15 host " + "x".repeat(120);
        String stream = "<13>Oct 11 22:14:15 host short\n\n" + longLine + "\n<13>Oct 11 22:14:15 host after\n"
                + "<13>Oct 11 22:14:15 host a line that is sixty-four bytes long, to the byte\n";
        for (int eventSize : new int[] {50, 64, 100}) {
            List<Map<String, String>> flume = flumeTcp(stream, eventSize, "none");
            List<Map<String, String>> sluice = sluiceTcp(stream, eventSize, "none");
            assertEquals(withoutStaleHeaders(flume, sluice), sluice, "eventSize = " + eventSize);
        }
    }

    @Test
    void multiportGivesFlumesHeadersAndBodies() {
        org.apache.flume.source.SyslogParser flume = new org.apache.flume.source.SyslogParser();
        // RFC 5424 messages with an offset: Flume's multiport parser reads these as Sluice does. Its nil timestamp is
        // the time of arrival, so that header is compared by being there only.
        List<String> withZone = List.of(
                "<156>1 2026-12-06T02:20:01.123456+01:00 web-1 sluice-test 4242 - [timeQuality tzKnown=\"1\"] hello",
                "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\"] x",
                "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
                "<165>1 2003-08-24T05:14:15-07:00 host app - - - seconds only",
                "<14>1 - - app - - - nil time and host");
        for (String keep : List.of("none", "all", "timestamp hostname", "priority version")) {
            Set<String> flumeKeep = SyslogUtils.chooseFieldsToKeep(keep);
            SyslogParser sluice = new SyslogParser(Dialect.MULTIPORT, KeepFields.parse(keep), StandardCharsets.UTF_8,
                    CLOCK);
            for (String message : withZone) {
                org.apache.flume.Event expected = flume.parseMessage(message, StandardCharsets.UTF_8, flumeKeep);
                byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
                Event actual = sluice.parse(bytes, 0, bytes.length, false);
                Map<String, String> flumeEvent = withBody(expected.getHeaders(), expected.getBody());
                Map<String, String> sluiceEvent = withBody(actual.getHeaders(), actual.getBody());
                if (message.startsWith("<14>1 - ")) {
                    assertEquals(flumeEvent.keySet(), sluiceEvent.keySet(), message);
                    flumeEvent.remove("timestamp");
                    sluiceEvent.remove("timestamp");
                }
                assertEquals(flumeEvent, sluiceEvent, "keepFields = " + keep + ", message " + message);
            }
        }
    }

    @Test
    void multiportRfc3164TimesDifferFromFlumesByTheAgentsZoneOnly() {
        // Documented: Flume's multiport parser reads RFC 3164 times as UTC, Sluice in the agent's zone, which is what
        // logger and rsyslog write. Everything else is Flume's.
        String message = "<13>" + rfc3164Now(60) + " web-1 app[1]: local time";
        org.apache.flume.Event expected = new org.apache.flume.source.SyslogParser()
                .parseMessage(message, StandardCharsets.UTF_8, null);
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        Event actual = new SyslogParser(Dialect.MULTIPORT, KeepFields.NONE, StandardCharsets.UTF_8, CLOCK)
                .parse(bytes, 0, bytes.length, false);
        Map<String, String> flumeEvent = withBody(expected.getHeaders(), expected.getBody());
        Map<String, String> sluiceEvent = withBody(actual.getHeaders(), actual.getBody());
        long flumeMillis = Long.parseLong(flumeEvent.remove("timestamp"));
        long sluiceMillis = Long.parseLong(sluiceEvent.remove("timestamp"));
        assertEquals(flumeEvent, sluiceEvent);
        LocalDateTime wallClock = LocalDateTime.ofEpochSecond(flumeMillis / 1000, 0, ZoneOffset.UTC);
        long offsetMillis = ZoneId.systemDefault().getRules().getOffset(wallClock).getTotalSeconds() * 1000L;
        assertEquals(flumeMillis - offsetMillis, sluiceMillis);
    }
}
