package org.sluice.sink.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PathTemplateTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    /** 2012-06-12T11:54:34.567Z, a Tuesday. */
    private static final long TIME = ZonedDateTime.of(2012, 6, 12, 11, 54, 34, 567_000_000, UTC).toInstant().toEpochMilli();

    private static PathTemplate.TimeRules rules(boolean round, int value, ChronoUnit unit, ZoneId zone) {
        return new PathTemplate.TimeRules(false, round, value, unit, zone);
    }

    private static String resolve(String template, PathTemplate.TimeRules rules, Map<String, String> headers)
            throws Exception {
        return PathTemplate.parse(template, rules).resolve(headers, 0);
    }

    private static String resolve(String template) throws Exception {
        return resolve(template, rules(false, 1, ChronoUnit.SECONDS, UTC), Map.of("timestamp", Long.toString(TIME)));
    }

    @Test
    void timeEscapesFollowFlume() throws Exception {
        assertEquals("2012 12 06 6 12 12 11 11 54 34 164", resolve("%Y %y %m %n %d %e %H %k %M %S %j"));
        assertEquals("06/12/12", resolve("%D"));
        assertEquals(Long.toString(TIME), resolve("%t"));
        assertEquals(Long.toString(TIME / 1000), resolve("%s"));
        assertEquals("+0000", resolve("%z"));
        assertEquals("11 11", resolve("%I %l"));
    }

    @Test
    void headersAndHostEscapes() throws Exception {
        PathTemplate.TimeRules rules = rules(false, 1, ChronoUnit.SECONDS, UTC);
        assertEquals("/logs/web1/x-", resolve("/logs/%{host}/x-%{missing}", rules, Map.of("host", "web1")));
        assertEquals(InetAddress.getLocalHost().getHostName(), resolve("%[localhost]", rules, Map.of()));
        assertEquals(InetAddress.getLocalHost().getHostAddress(), resolve("%[IP]", rules, Map.of()));
        assertFalse(PathTemplate.parse("/a/%{h}", rules).needsTime());
        assertTrue(PathTemplate.parse("/a/%Y", rules).needsTime());
    }

    @Test
    void roundsDownAsFlumesExample() throws Exception {
        // Flume's guide: 11:54:34 rounded down to 10 minutes is 11:50:00.
        PathTemplate.TimeRules rules = rules(true, 10, ChronoUnit.MINUTES, UTC);
        Map<String, String> headers = Map.of("timestamp", Long.toString(TIME));
        assertEquals("/flume/events/12-06-12/1150/00", resolve("/flume/events/%y-%m-%d/%H%M/%S", rules, headers));
        assertEquals(Long.toString(TIME), resolve("%t", rules, headers), "%t is never rounded");
        assertEquals("08", resolve("%H", rules(true, 4, ChronoUnit.HOURS, UTC), headers));
        assertEquals("30", resolve("%S", rules(true, 15, ChronoUnit.SECONDS, UTC), headers));
    }

    @Test
    void usesTheConfiguredTimeZone() throws Exception {
        PathTemplate.TimeRules rules = rules(false, 1, ChronoUnit.SECONDS, ZoneId.of("America/Los_Angeles"));
        assertEquals("2012-06-12 04", resolve("%Y-%m-%d %H", rules, Map.of("timestamp", Long.toString(TIME))));
    }

    @Test
    void localTimeStampUsesTheClockInsteadOfTheHeader() throws Exception {
        PathTemplate template = PathTemplate.parse("%t",
                new PathTemplate.TimeRules(true, false, 1, ChronoUnit.SECONDS, UTC));
        assertEquals("42", template.resolve(Map.of(), 42));
    }

    @Test
    void aTimeEscapeWithoutTimestampHeaderIsUnresolvable() {
        PathTemplate template = PathTemplate.parse("/x/%Y", rules(false, 1, ChronoUnit.SECONDS, UTC));
        assertThrows(PathTemplate.UnresolvableException.class, () -> template.resolve(Map.of(), 0));
        assertThrows(PathTemplate.UnresolvableException.class, () -> template.resolve(Map.of("timestamp", "soon"), 0));
    }

    @Test
    void unknownEscapesAreRejectedAtParse() {
        PathTemplate.TimeRules rules = rules(false, 1, ChronoUnit.SECONDS, UTC);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PathTemplate.parse("/a/%Q", rules));
        assertTrue(e.getMessage().contains("%Q"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PathTemplate.parse("/a/%{host", rules));
        assertThrows(IllegalArgumentException.class, () -> PathTemplate.parse("/a/%[nowhere]", rules));
    }
}
