package org.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.testkit.TypedView;
import org.sluice.platform.config.TypedConfiguration;

/**
 * Third-party plugins test with the API kit's {@link TypedView}; the agent reads their configuration with the
 * platform's {@link TypedConfiguration}. The two must agree, or a plugin's tests would pass on values the agent
 * rejects (or read other keys than the agent).
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
            Everything platform;
            try {
                platform = TypedConfiguration.view(Everything.class, properties, "a1", "k1");
            } catch (ConfigurationException refused) {
                ConfigurationException alsoRefused = assertThrows(ConfigurationException.class,
                        () -> TypedView.of(Everything.class, properties, "a1", "k1"), properties.toString());
                assertEquals(refused.key(), alsoRefused.key(), properties.toString());
                assertEquals("a1", alsoRefused.agent());
                assertEquals("k1", alsoRefused.component());
                continue;
            }
            Everything kit = TypedView.of(Everything.class, properties, "a1", "k1");
            for (Method element : Everything.class.getDeclaredMethods()) {
                Object expected = element.invoke(platform);
                Object actual = element.invoke(kit);
                if (expected.getClass().isArray()) {
                    assertArrayEquals(new Object[] {expected}, new Object[] {actual}, element.getName() + " of "
                            + properties);
                } else {
                    assertEquals(expected, actual, element.getName() + " of " + properties);
                }
            }
        }
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
