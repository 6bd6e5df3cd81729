package org.sluice.api.component;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The rules by which every component's keys are read: by the agent, by validate and by the API test kit. */
class ConfigurationRulesTest {

    enum Mode { FAST, SAFE }

    @interface Keys {
        String sink_directory() default "/tmp";

        int keep$_$alive() default 3;

        boolean with__underscore() default true;

        Mode mode() default Mode.FAST;

        String[] channels() default {};

        int[] ports() default {1, 2};

        char separator() default ',';

        String name();
    }

    private static <A> ConfigurationRules.Reading<A> read(Class<A> type, Map<String, String> properties) {
        return ConfigurationRules.read(type, properties, "a1", "k1", ConfigurationRules.AS_CONFIGURED);
    }

    @Test
    void elementNamesMapToKeysAsComponentPropertyTypesDo() {
        assertEquals("sink.directory", ConfigurationRules.keyOf("sink_directory"));
        assertEquals("keep-alive", ConfigurationRules.keyOf("keep$_$alive"));
        assertEquals("with_underscore", ConfigurationRules.keyOf("with__underscore"));
        assertEquals("a$b", ConfigurationRules.keyOf("a$$b"));
        assertEquals("ab", ConfigurationRules.keyOf("a$b"));
        assertEquals("a$-b", ConfigurationRules.keyOf("a$$$_$b"));
        assertEquals(Set.of("sink.directory", "keep-alive", "with_underscore", "mode", "channels", "ports",
                "separator", "name"), ConfigurationRules.keys(Keys.class));
    }

    @Test
    void valuesAreTrimmedAndConvertedAndMissingKeysTakeTheDefault() throws Exception {
        Keys keys = read(Keys.class, Map.of("name", " n ", "keep-alive", " 9 ", "with_underscore", "FALSE",
                "mode", "safe", "channels", "c1 c2,c3", "ports", "", "separator", ";")).view();

        assertEquals("n", keys.name());
        assertEquals("/tmp", keys.sink_directory());
        assertEquals(9, keys.keep$_$alive());
        assertFalse(keys.with__underscore());
        assertEquals(Mode.SAFE, keys.mode());
        assertArrayEquals(new String[] {"c1", "c2", "c3"}, keys.channels());
        assertArrayEquals(new int[0], keys.ports());
        assertEquals(';', keys.separator());
    }

    @Test
    void anArrayIsCopiedForEachCallerSoNoneChangesTheView() throws Exception {
        Keys keys = read(Keys.class, Map.of("name", "n", "channels", "c1 c2")).view();
        keys.channels()[0] = "changed";
        assertEquals("c1", keys.channels()[0]);
    }

    @Test
    void everyValueThatDoesNotConvertIsAViolationNamingItsKeyAndTheViewThrowsTheFirst() {
        ConfigurationRules.Reading<Keys> reading = read(Keys.class, Map.of("keep-alive", "1.5",
                "with_underscore", "yes", "mode", "slow", "ports", "1 two", "separator", "ab"));

        assertEquals(Set.of("name", "keep-alive", "with_underscore", "mode", "ports", "separator"),
                reading.violations().stream().map(ConfigurationException::key).collect(Collectors.toSet()));
        ConfigurationException thrown = assertThrows(ConfigurationException.class, reading::view);
        assertSame(reading.violations().get(0), thrown);
        assertEquals("a1", thrown.agent());
        assertEquals("k1", thrown.component());
        assertEquals("agent 'a1', component 'k1', key 'keep-alive': '1.5' is not a valid int",
                message(reading, "keep-alive"));
        assertTrue(message(reading, "mode").endsWith("'slow' is not one of [FAST, SAFE]"));
        assertTrue(message(reading, "name").endsWith("is required and has no value"));
    }

    @interface Bounded {
        @Range(min = 1)
        int batchSize() default 100;

        @Range(min = 0, max = 100)
        int percent() default 20;

        @Range(max = 10)
        long small() default 5;

        @DefaultWhenUnparsable
        @Range(min = 1, fallBack = true)
        int capacity() default 100;

        @DefaultWhenUnparsable
        long maxpenalty() default 30000;
    }

    @Test
    void aValueOutsideItsRangeIsRefusedNamingTheBound() {
        assertEquals("agent 'a1', component 'k1', key 'batchSize': must be at least 1, was 0",
                message(read(Bounded.class, Map.of("batchSize", "0")), "batchSize"));
        assertTrue(message(read(Bounded.class, Map.of("percent", "101")), "percent")
                .endsWith("must be between 0 and 100, was 101"));
        assertTrue(message(read(Bounded.class, Map.of("small", "11")), "small").endsWith("must be at most 10, was 11"));
        assertTrue(read(Bounded.class, Map.of("batchSize", "1", "percent", "100", "small", "-3")).violations()
                .isEmpty());
    }

    @interface Fractions {
        @Range(min = 0, max = 1)
        double ratio() default 0.5;

        @Range(min = 1)
        float factor() default 2f;

        @Range(min = 0)
        double atLeastZero() default 0;
    }

    @Test
    void aFractionalValueIsComparedWithItsFractionAndNaNIsOutsideEveryRange() throws Exception {
        assertTrue(message(read(Fractions.class, Map.of("ratio", "1.5")), "ratio")
                .endsWith("must be between 0 and 1, was 1.5"));
        assertTrue(message(read(Fractions.class, Map.of("ratio", "-0.25")), "ratio")
                .endsWith("must be between 0 and 1, was -0.25"));
        assertTrue(message(read(Fractions.class, Map.of("factor", "0.5")), "factor")
                .endsWith("must be at least 1, was 0.5"));
        assertTrue(message(read(Fractions.class, Map.of("ratio", "NaN")), "ratio").endsWith("was NaN"));

        ConfigurationRules.Reading<Fractions> inside = read(Fractions.class,
                Map.of("ratio", "1.0", "factor", "1.25", "atLeastZero", "Infinity"));
        assertEquals(List.of(), inside.violations());
        assertEquals(1.0, inside.view().ratio());
        assertEquals(1.25f, inside.view().factor());
        assertEquals(Double.POSITIVE_INFINITY, inside.view().atLeastZero());
    }

    @Test
    void flumesToleranceGivesTheDefaultWithAWarningNamingTheKey() throws Exception {
        for (String invalid : List.of("0", "-1", "lots")) {
            ConfigurationRules.Reading<Bounded> reading = read(Bounded.class, Map.of("capacity", invalid,
                    "maxpenalty", "soon"));

            assertEquals(List.of(), reading.violations(), invalid);
            assertEquals(100, reading.view().capacity(), invalid);
            assertEquals(30000, reading.view().maxpenalty(), invalid);
            assertEquals(Set.of("capacity", "maxpenalty"), reading.warnings().stream()
                    .map(ConfigurationException::key).collect(Collectors.toSet()), invalid);
            assertTrue(reading.warnings().stream().allMatch(w -> w.getMessage().contains("as Flume does")),
                    reading.warnings()::toString);
        }
        assertTrue(read(Bounded.class, Map.of("capacity", "5")).warnings().isEmpty());
    }

    @IncludeKeys({Bounded.class, Shared.class})
    @interface Own {
        int port();
    }

    /** Includes back the type that includes it: each type counts once. */
    @IncludeKeys(Own.class)
    @interface Shared {
        boolean ssl() default false;

        /** Declared by Own too: the first declaration counts. */
        String port() default "";
    }

    @Test
    void includedKeysAreReadAndCheckedAsTheTypesOwnButTheViewHasOnlyItsOwn() throws Exception {
        assertEquals(Set.of("port", "batchSize", "percent", "small", "capacity", "maxpenalty", "ssl"),
                ConfigurationRules.keys(Own.class));

        ConfigurationRules.Reading<Own> reading = read(Own.class, Map.of("port", "4141", "ssl", "maybe",
                "batchSize", "0", "capacity", "lots"));
        assertEquals(Set.of("ssl", "batchSize"), reading.violations().stream().map(ConfigurationException::key)
                .collect(Collectors.toSet()));
        assertEquals(List.of("capacity"), reading.warnings().stream().map(ConfigurationException::key).toList());

        Own own = read(Own.class, Map.of("port", "4141", "ssl", "true")).view();
        assertEquals(4141, own.port());
        assertEquals("Own{port=4141}", own.toString());
    }

    @interface WithSecret {
        String keystore$_$password() default "";

        int threads() default 4;
    }

    @Test
    void valuesAppearInMessagesAndTheViewsTextAsTheCallerShowsThem() throws Exception {
        ConfigurationRules.ValueShown redacting = (key, value) -> key.contains("password") ? "****" : value;

        WithSecret view = ConfigurationRules.read(WithSecret.class, Map.of("keystore-password", "hunter2"), "a1",
                "k1", redacting).view();
        assertEquals("hunter2", view.keystore$_$password());
        assertFalse(view.toString().contains("hunter2"), view.toString());
        assertTrue(view.toString().contains("threads=4"), view.toString());

        ConfigurationRules.ValueShown everythingSecret = (key, value) -> "****";
        ConfigurationRules.Reading<WithSecret> refused = ConfigurationRules.read(WithSecret.class,
                Map.of("threads", "s3cret"), "a1", "k1", everythingSecret);
        assertFalse(refused.violations().get(0).getMessage().contains("s3cret"));
        assertTrue(refused.violations().get(0).getMessage().endsWith("'****' is not a valid int"));
    }

    @Test
    void onlyAnnotationTypesAreConfigurationTypes() {
        assertThrows(IllegalArgumentException.class, () -> read(String.class, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> ConfigurationRules.keys(Runnable.class));
    }

    private static String message(ConfigurationRules.Reading<?> reading, String key) {
        return reading.violations().stream().filter(v -> key.equals(v.key())).findFirst().orElseThrow(
                () -> new AssertionError("no violation on " + key + ": " + reading.violations())).getMessage();
    }
}
