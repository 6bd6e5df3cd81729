package org.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.DefaultWhenUnparsable;
import org.sluice.api.component.IncludeKeys;
import org.sluice.api.component.Range;
import org.sluice.api.testkit.TypedView;
import org.sluice.platform.config.TypedConfiguration;

/**
 * Third-party plugins test with the API kit's {@link TypedView}; the agent reads their configuration with the
 * platform's {@link TypedConfiguration}. The two must agree, or a plugin's tests would pass on values the agent
 * rejects, keep values the agent replaces by their default (or read other keys than the agent): on keys,
 * conversions, ranges, Flume's fall-backs and included keys. Both are the API's one rule set
 * ({@link org.sluice.api.component.ConfigurationRules}); this test keeps either from growing rules of its own.
 */
class TypedViewAgreesWithThePlatformTest {

    enum Mode { FAST, SAFE }

    @interface Everything {
        String plain() default "p";

        int sink_batchSize() default 100;

        long keep$_$alive() default 3;

        boolean with__underscore() default true;

        double ratio() default 0.5;

        float share() default 0.25f;

        short small() default 1;

        byte tiny() default 2;

        char separator() default ',';

        Mode mode() default Mode.FAST;

        String[] channels() default {};

        int[] ports() default {1, 2};

        String dollar$$sign() default "";

        String lone$dollar() default "";

        String required();
    }

    private static final List<Map<String, String>> CONFIGURATIONS = List.of(
            Map.of("required", "r"),
            Map.of("required", " spaced ", "plain", "  x  ", "sink.batchSize", " 7 ", "keep-alive", "9",
                    "with_underscore", "FALSE", "ratio", "1e3"),
            Map.of("required", "r", "share", "2.5", "small", "-3", "tiny", "127", "separator", ";", "mode", "safe"),
            Map.of("required", "r", "channels", "c1 c2,c3", "ports", "", "dollar$sign", "d", "lonedollar", "l"),
            Map.of("required", "r", "channels", "   "),
            Map.of("required", "r", "channels", ",c1,,c2", "ports", "3,"),
            Map.of("plain", "no required key"),
            Map.of("required", "r", "sink.batchSize", "many"),
            Map.of("required", "r", "keep-alive", "1.5"),
            Map.of("required", "r", "with_underscore", "yes"),
            Map.of("required", "r", "separator", "ab"),
            Map.of("required", "r", "mode", "slow"),
            Map.of("required", "r", "ports", "1 two"),
            Map.of("required", "r", "tiny", "300"),
            Map.of("required", "r", "sink_batchSize", "ignored: not the key"));

    @Test
    void bothReadTheSameKeysAndValuesAndRefuseTheSameOnes() throws Exception {
        for (Map<String, String> properties : CONFIGURATIONS) {
            assertAgree(Everything.class, properties);
        }
    }

    /** Keys several components share, declared once as a support library does (the TLS keys). */
    @interface Shared {
        @Range(min = 1, max = 65535)
        int port() default 4141;

        boolean ssl() default false;

        @DefaultWhenUnparsable
        int threads() default 4;
    }

    /** Bounds and Flume's tolerance, as the memory channel, the failover processor and the template declare them. */
    @IncludeKeys(Shared.class)
    @interface Bounded {
        @Range(min = 1)
        int batchSize() default 100;

        @DefaultWhenUnparsable
        @Range(min = 1, fallBack = true)
        int capacity() default 100;

        @DefaultWhenUnparsable
        long maxpenalty() default 30000;

        @Range(min = 0, max = 100)
        int percent() default 20;

        @Range(max = 10, fallBack = true)
        short small() default 5;

        @Range(min = 1)
        long required();
    }

    /** A configuration of {@link Bounded}, the key the agent refuses (or null) and the keys it warns about. */
    private record Case(Map<String, String> properties, String refused, List<String> warned) {
    }

    private static final List<Case> BOUNDED = List.of(
            new Case(Map.of("required", "1"), null, List.of()),
            new Case(Map.of("required", "1", "batchSize", "1", "percent", "0", "small", "-7", "port", "65535"), null,
                    List.of()),
            new Case(Map.of("required", "1", "batchSize", "0"), "batchSize", List.of()),
            new Case(Map.of("required", "0"), "required", List.of()),
            new Case(Map.of("required", "1", "percent", "101"), "percent", List.of()),
            new Case(Map.of("required", "1", "percent", "-1"), "percent", List.of()),
            new Case(Map.of("required", "1", "capacity", "-1"), null, List.of("capacity")),
            new Case(Map.of("required", "1", "capacity", "lots"), null, List.of("capacity")),
            new Case(Map.of("required", "1", "maxpenalty", "soon"), null, List.of("maxpenalty")),
            new Case(Map.of("required", "1", "small", "11"), null, List.of("small")),
            new Case(Map.of("required", "1", "small", "many"), "small", List.of()),
            new Case(Map.of("required", "1", "capacity", "0", "maxpenalty", "1.5"), null,
                    List.of("capacity", "maxpenalty")),
            // Included keys are checked as the type's own, tolerance included.
            new Case(Map.of("required", "1", "port", "0"), "port", List.of()),
            new Case(Map.of("required", "1", "port", "70000"), "port", List.of()),
            new Case(Map.of("required", "1", "ssl", "maybe"), "ssl", List.of()),
            new Case(Map.of("required", "1", "threads", "some"), null, List.of("threads")),
            new Case(Map.of("required", "1", "capacity", "0", "threads", "some"), null,
                    List.of("capacity", "threads")));

    @Test
    void bothApplyRangesFallBacksUnparsableDefaultsAndIncludedKeysAlike() throws Exception {
        for (Case given : BOUNDED) {
            String refused = assertAgree(Bounded.class, given.properties());
            assertEquals(given.refused(), refused, "refused key of " + given.properties());
            List<ConfigurationException> warnings = TypedConfiguration.warnings(Bounded.class, given.properties(),
                    "a1", "k1");
            // Sorted: the order of an annotation's elements is the JVM's.
            assertEquals(given.warned(), warnings.stream().map(ConfigurationException::key).sorted().toList(),
                    given.properties().toString());
            assertEquals(warnings.stream().map(Throwable::getMessage).sorted().toList(), TypedView.warnings(
                    Bounded.class, given.properties(), "a1", "k1").stream().map(Throwable::getMessage).sorted()
                    .toList(), given.properties().toString());
        }
    }

    @Test
    void aFallBackGivesBothTheDefault() throws Exception {
        Map<String, String> properties = Map.of("required", "1", "capacity", "0", "maxpenalty", "soon", "small", "11");
        for (Bounded view : List.of(TypedConfiguration.view(Bounded.class, properties, "a1", "k1"),
                TypedView.of(Bounded.class, properties, "a1", "k1"))) {
            assertEquals(100, view.capacity());
            assertEquals(30000, view.maxpenalty());
            assertEquals(5, view.small());
        }
    }

    /**
     * Reads {@code properties} through {@code type} with both and asserts they agree: on every element's value, or
     * on the refusal and the key it names.
     *
     * @return the key both refused, or null when both made the view
     */
    private static <A> String assertAgree(Class<A> type, Map<String, String> properties) throws Exception {
        A platform;
        try {
            platform = TypedConfiguration.view(type, properties, "a1", "k1");
        } catch (ConfigurationException refused) {
            ConfigurationException alsoRefused = assertThrows(ConfigurationException.class,
                    () -> TypedView.of(type, properties, "a1", "k1"), properties.toString());
            assertEquals(refused.key(), alsoRefused.key(), properties.toString());
            assertEquals(refused.getMessage(), alsoRefused.getMessage(), properties.toString());
            assertEquals("a1", alsoRefused.agent());
            assertEquals("k1", alsoRefused.component());
            return refused.key();
        }
        A kit = TypedView.of(type, properties, "a1", "k1");
        for (Method element : type.getDeclaredMethods()) {
            Object expected = element.invoke(platform);
            Object actual = element.invoke(kit);
            if (expected.getClass().isArray()) {
                assertArrayEquals(new Object[] {expected}, new Object[] {actual}, element.getName() + " of "
                        + properties);
            } else {
                assertEquals(expected, actual, element.getName() + " of " + properties);
            }
        }
        return null;
    }

    @Test
    void bothMapElementNamesToTheSameKeys() {
        for (Class<?> type : List.of(Everything.class, Escapes.class)) {
            for (Method element : type.getDeclaredMethods()) {
                assertEquals(TypedConfiguration.keyOf(element), TypedView.keyOf(element.getName()), element.getName());
            }
        }
    }

    /** Escapes next to each other, read left to right. */
    @interface Escapes {
        String a$$_$b();

        String $_$();

        String x__y_z();

        String a$$$_$b();

        String __();

        String $$();

        String ___();

        String a$__b();
    }
}
