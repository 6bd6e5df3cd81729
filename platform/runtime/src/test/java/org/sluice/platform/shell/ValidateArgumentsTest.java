package org.sluice.platform.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class ValidateArgumentsTest {

    private static ValidateArguments parse(String... arguments) {
        return ValidateArguments.parse(List.of(arguments));
    }

    @Test
    void positionalFlagsAndMixesAllSayFileAndAgent() {
        ValidateArguments expected = new ValidateArguments("conf/flume.conf", "a1", false);
        assertEquals(expected, parse("conf/flume.conf", "a1"));
        assertEquals(expected, parse("-f", "conf/flume.conf", "-n", "a1"));
        assertEquals(expected, parse("-n", "a1", "-f", "conf/flume.conf"));
        assertEquals(expected, parse("--conf-file", "conf/flume.conf", "--name", "a1"));
        assertEquals(expected, parse("-n", "a1", "conf/flume.conf"));
        assertEquals(expected, parse("-f", "conf/flume.conf", "a1"));
    }

    @Test
    void whatIsMissingOrWrongIsSaid() {
        assertEquals("No agent given", assertThrows(IllegalArgumentException.class,
                () -> parse("-f", "x.conf")).getMessage());
        assertEquals("No file given", assertThrows(IllegalArgumentException.class,
                () -> parse("-n", "a1")).getMessage());
        assertEquals("-n needs a value", assertThrows(IllegalArgumentException.class,
                () -> parse("x.conf", "-n")).getMessage());
        assertEquals("Unknown option -x", assertThrows(IllegalArgumentException.class,
                () -> parse("-x", "x.conf", "a1")).getMessage());
        assertEquals("Two agents given: a1 and a2", assertThrows(IllegalArgumentException.class,
                () -> parse("x.conf", "a1", "a2")).getMessage());
    }
}
