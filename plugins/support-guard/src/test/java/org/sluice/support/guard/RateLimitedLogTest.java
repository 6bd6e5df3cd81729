package org.sluice.support.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class RateLimitedLogTest {

    /** The warn(String, Object...) calls a logger received. */
    private static Logger recording(List<String> lines) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("warn")) {
                        Object[] rest = args.length > 1 && args[1] instanceof Object[] array ? array
                                : Arrays.copyOfRange(args, 1, args.length);
                        lines.add(args[0] + " " + Arrays.toString(rest));
                    }
                    return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
                });
    }

    @Test
    void aFloodOfWarningsCostsOneLinePerInterval() {
        List<String> lines = new ArrayList<>();
        RateLimitedLog log = new RateLimitedLog(recording(lines), 1, TimeUnit.HOURS);
        assertTrue(log.warn("bad request from {}", "a"));
        for (int i = 0; i < 10_000; i++) {
            assertFalse(log.warn("bad request from {}", "b"));
        }
        assertEquals(1, lines.size());
        assertEquals(10_000, log.suppressed());
    }

    @Test
    void theNextLineSaysHowManyWereNotLogged() {
        List<String> lines = new ArrayList<>();
        RateLimitedLog log = new RateLimitedLog(recording(lines), 0, TimeUnit.NANOSECONDS);
        log.warn("first {}", 1);
        log.warn("second {}", 2);
        assertEquals(List.of("first {} [1]", "second {} [2]"), lines);

        List<String> limited = new ArrayList<>();
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        RateLimitedLog slow = new RateLimitedLog(recording(limited), 10, TimeUnit.SECONDS, clock::get);
        assertTrue(slow.warn("w {}", 0));
        assertFalse(slow.warn("w {}", 1));
        assertFalse(slow.warn("w {}", 2));
        clock.addAndGet(TimeUnit.SECONDS.toNanos(10));
        assertTrue(slow.warn("w {}", 3));
        assertEquals("w {} ({} more like it were not logged in the last {} s) [3, 2, 10]", limited.get(1));
    }
}
