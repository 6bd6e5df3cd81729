package org.sluice.support.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ConfigurationException;
import org.sluice.testkit.TestContexts;

class ConfigValuesTest {
    private final ComponentContext context = TestContexts.plain(ComponentKind.INTERCEPTOR, "r1.i1",
            Map.of("replaceString", "  x "));

    @Test
    void goodValuesPassThrough() throws Exception {
        assertEquals("host", ConfigValues.nonEmpty(context, "hostHeader", "host"));
        assertTrue(ConfigValues.pattern(context, "regex", "a+b").matcher("aab").matches());
        assertEquals(StandardCharsets.ISO_8859_1, ConfigValues.charset(context, "charset", " latin1 "));
        assertEquals("  x ", ConfigValues.untrimmed(context, "replaceString", ""));
        assertEquals("fallback", ConfigValues.untrimmed(context, "other", "fallback"));
        assertEquals(1, ConfigValues.atLeast(context, "batchSize", 1, 1));
        assertEquals(5_000_000_000L, ConfigValues.atLeast(context, "capacity", 5_000_000_000L, 1));
        assertEquals(65535, ConfigValues.between(context, "port", 65535, 0, 65535));
        assertEquals(java.nio.file.Path.of(System.getProperty("user.home"), ".flume", "x"),
                ConfigValues.path(context, "checkpointDir", "~/.flume/x"), "Flume's ~/ is the home directory");
        assertEquals(java.nio.file.Path.of("/data/~/x"), ConfigValues.path(context, "checkpointDir", "/data/~/x"));
        assertEquals(null, ConfigValues.path(context, "checkpointDir", "  "), "blank: the key's default applies");
    }

    @Test
    void badValuesNameAgentComponentAndKey() {
        assertBad("hostHeader", "must not be empty", () -> ConfigValues.nonEmpty(context, "hostHeader", ""));
        assertBad("regex", "'a(' is not a valid regular expression",
                () -> ConfigValues.pattern(context, "regex", "a("));
        assertBad("charset", "'UTF-9' is not a character set", () -> ConfigValues.charset(context, "charset", "UTF-9"));
        assertBad("dataDirs", "'/a\u0000b' is not a valid path", () -> ConfigValues.path(context, "dataDirs", "/a\u0000b"));
        assertBad("batchSize", "must be at least 1, was 0", () -> ConfigValues.atLeast(context, "batchSize", 0, 1));
        assertBad("capacity", "must be at least 1, was -5000000000",
                () -> ConfigValues.atLeast(context, "capacity", -5_000_000_000L, 1));
        assertBad("port", "must be between 0 and 65535, was 65536",
                () -> ConfigValues.between(context, "port", 65536, 0, 65535));
        assertBad("port", "must be between 1 and 65535, was 0", () -> ConfigValues.between(context, "port", 0, 1, 65535));
        assertBad("charset", "'not a name' is not a character set",
                () -> ConfigValues.charset(context, "charset", "not a name"));
    }

    private interface Check {
        Object run() throws ConfigurationException;
    }

    private static void assertBad(String key, String text, Check check) {
        ConfigurationException error = assertThrows(ConfigurationException.class, check::run);
        assertEquals(key, error.key());
        assertEquals(TestContexts.AGENT, error.agent());
        assertEquals("r1.i1", error.component());
        assertTrue(error.getMessage().contains(text), error.getMessage());
    }
}
