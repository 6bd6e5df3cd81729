package org.apache.flume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;

import com.google.common.collect.ImmutableMap;
import org.junit.jupiter.api.Test;

/**
 * Context called as compiled plugins call it: through the method descriptors of Flume 1.9 and earlier (Guava's
 * ImmutableMap) and of Flume 1.10 and later (java.util.Map), both resolved exactly as the JVM links a call site.
 */
class ContextTest {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();

    private static Context context() {
        return new Context(Map.of("hdfs.path", "/flume/%Y", "hdfs.rollSize", " 1024 ", "type", "hdfs",
                "hdfsx", "not below the prefix"));
    }

    @Test
    void subPropertiesAreTheSameThroughTheOldAndTheNewDescriptor() throws Throwable {
        MethodHandle old = LOOKUP.findVirtual(Context.class, "getSubProperties",
                MethodType.methodType(ImmutableMap.class, String.class));
        MethodHandle current = LOOKUP.findVirtual(Context.class, "getSubProperties",
                MethodType.methodType(Map.class, String.class));
        Map<String, String> expected = Map.of("path", "/flume/%Y", "rollSize", " 1024 ");
        assertEquals(expected, (ImmutableMap<?, ?>) old.invoke(context(), "hdfs."));
        assertEquals(expected, (Map<?, ?>) current.invoke(context(), "hdfs."));
    }

    @Test
    void parametersAreTheSameThroughTheOldAndTheNewDescriptor() throws Throwable {
        MethodHandle old = LOOKUP.findVirtual(Context.class, "getParameters",
                MethodType.methodType(ImmutableMap.class));
        MethodHandle current = LOOKUP.findVirtual(Context.class, "getParameters", MethodType.methodType(Map.class));
        assertEquals(4, ((ImmutableMap<?, ?>) old.invoke(context())).size());
        assertEquals(context().getParameters(), (Map<?, ?>) current.invoke(context()));
    }

    @Test
    void aPrefixWithoutAPeriodIsRefusedAsFlumeRefusesIt() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> context().getSubProperties("hdfs"));
        assertEquals("The given prefix does not end with a period (hdfs)", refused.getMessage());
    }

    @Test
    void numbersAreTrimmedAndStringsAreNot() {
        Context context = context();
        assertEquals(1024L, context.getLong("hdfs.rollSize"));
        assertEquals(1024, context.getInteger("hdfs.rollSize"));
        assertEquals(" 1024 ", context.getString("hdfs.rollSize"));
        assertEquals(7, context.getInteger("absent", 7));
        assertNull(context.getBoolean("absent"));
        assertThrows(NumberFormatException.class, () -> context.getInteger("type"));
    }
}
