package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RootLoggerTest {
    private final List<String> warnings = new ArrayList<>();

    @Test
    void flumesQuickStartLogsToTheConsoleOnly() {
        RootLogger root = RootLogger.parse("INFO,console", warnings).orElseThrow();
        assertEquals("INFO", root.level());
        assertEquals("INFO", root.consoleLevel());
        assertEquals("OFF", root.fileLevel());
        assertTrue(warnings.isEmpty());
    }

    @Test
    void flumesFileAppenderNamesChooseTheLogFile() {
        for (String appender : new String[] {"LOGFILE", "logfile", "DRFA"}) {
            RootLogger root = RootLogger.parse("debug," + appender, warnings).orElseThrow();
            assertEquals("DEBUG", root.level());
            assertEquals("OFF", root.consoleLevel());
            assertEquals("DEBUG", root.fileLevel());
        }
        RootLogger both = RootLogger.parse("WARN, console, LOGFILE", warnings).orElseThrow();
        assertEquals("WARN", both.consoleLevel());
        assertEquals("WARN", both.fileLevel());
    }

    @Test
    void aLevelAloneKeepsBothAppenders() {
        assertEquals(Optional.of(new RootLogger("ERROR", true, true)), RootLogger.parse("ERROR", warnings));
        assertEquals(Optional.empty(), RootLogger.parse(null, warnings));
        assertEquals(Optional.empty(), RootLogger.parse(" ", warnings));
    }

    @Test
    void mistakesAreWarnedAboutAndNeverSilenceTheLog() {
        RootLogger root = RootLogger.parse("LOUD,nowhere", warnings).orElseThrow();
        assertEquals(new RootLogger("INFO", true, true), root);
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("LOUD"));
        assertTrue(warnings.get(1).contains("nowhere"));
    }
}
