package org.sluice.support.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class UntrustedTextTest {

    @Test
    void plainTextIsKeptAsItIs() {
        String text = "appendBatch from 10.0.0.1, ünïcödé and 日本 and 😀";
        assertSame(text, UntrustedText.forLog(text, 200));
    }

    @Test
    void aNewlineCannotStartAForgedLogLine() {
        String forged = "x\n2026-12-01 00:00:00 INFO  all is well\r";
        String shown = UntrustedText.forLog(forged, 200);
        assertFalse(shown.contains("\n") || shown.contains("\r"));
        assertEquals("x\\n2026-12-01 00:00:00 INFO  all is well\\r", shown);
    }

    @Test
    void terminalEscapesBidiOverridesAndBackslashesAreEscaped() {
        assertEquals("\\x1b[31mred\\x1b[0m", UntrustedText.forLog("\u001b[31mred\u001b[0m", 200));
        assertEquals("a\\u202eb\\u2028c", UntrustedText.forLog("a\u202eb\u2028c", 200));
        assertEquals("C:\\\\n", UntrustedText.forLog("C:\\n", 200));
        assertEquals("\\x00\\x7f\\x85", UntrustedText.forLog("\u0000\u007f\u0085", 200));
        assertEquals("lone \\ud800 surrogate", UntrustedText.forLog("lone \ud800 surrogate", 200));
    }

    @Test
    void longTextIsCutAndSaysHowMuchWasLeftOut() {
        String shown = UntrustedText.forLog("a".repeat(1_000_000), 10);
        assertEquals("aaaaaaaaaa...[999990 more chars]", shown);
        assertEquals("\\n\\n...[3 more chars]", UntrustedText.forLog("\n\n\n\n\n", 2));
    }

    @Test
    void nullIsShownAsNull() {
        assertEquals("null", UntrustedText.forLog(null));
    }
}
