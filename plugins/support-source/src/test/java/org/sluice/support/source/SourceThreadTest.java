package org.sluice.support.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class SourceThreadTest {
    private static final Logger LOG = LoggerFactory.getLogger(SourceThreadTest.class);

    @Test
    void theLoopRunsOnADaemonThreadNamedForTheSourceAndAStoppedLoopEndsWithinTheGrace() throws Exception {
        AtomicReference<Thread> ran = new AtomicReference<>();
        CountDownLatch stopping = new CountDownLatch(1);
        SourceThread thread = SourceThread.start("a1", "r1", "Test source r1", () -> {
            ran.set(Thread.currentThread());
            try {
                stopping.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopping.countDown(); // what the source's own wake-up does
        assertTrue(thread.stop(10_000, LOG));
        assertEquals("sluice-a1-source-r1", ran.get().getName());
        assertTrue(ran.get().isDaemon());
        assertFalse(ran.get().isAlive());
    }

    @Test
    void aBatchStillInFlightAfterTheGraceIsInterrupted() throws Exception {
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        SourceThread thread = SourceThread.start("a1", "r1", "Test source r1", () -> {
            started.countDown();
            try {
                Thread.sleep(60_000); // a channel put waiting its keep-alive
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertTrue(thread.stop(50, LOG));
        assertTrue(interrupted.get());
    }

    @Test
    void aThreadThatIgnoresTheInterruptIsReportedAsNotStopped() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        SourceThread thread = SourceThread.start("a1", "r1", "Test source r1", () -> {
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    // ignores it, as a read blocked in a library might
                }
            }
        });
        try {
            assertFalse(thread.stop(50, LOG));
        } finally {
            release.countDown();
        }
    }
}
