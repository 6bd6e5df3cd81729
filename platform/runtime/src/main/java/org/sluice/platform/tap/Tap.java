package org.sluice.platform.tap;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.sluice.api.event.Event;

/**
 * One watcher of a component's events ({@code sluice:tap}). Delivery threads offer events; the tap copies the
 * headers and the start of the body of as many as it still wants into a small queue, and never waits: when the
 * watcher is behind, the queue is full and the event is only counted as not shown. So a tap samples, and a slow
 * terminal never slows delivery. Closing the tap removes it from its point.
 */
public final class Tap implements AutoCloseable {
    /** How much of a body a sample keeps. */
    public static final int PREVIEW_BYTES = 256;
    /** Samples waiting for the watcher; more are dropped, not waited for. */
    static final int QUEUE_CAPACITY = 64;

    private final BlockingQueue<TapSample> samples = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    /** Samples still to take; none once the watcher has had what it asked for. */
    private final AtomicInteger wanted;
    private final LongAdder seen = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Runnable onClose;

    Tap(int wanted, Runnable onClose) {
        this.wanted = new AtomicInteger(wanted);
        this.onClose = onClose;
    }

    /** Called on a delivery thread: never blocks, never throws for the event's sake. */
    void offer(String point, Event event) {
        seen.increment();
        if (wanted.get() <= 0) {
            return;
        }
        if (samples.remainingCapacity() == 0) {
            dropped.increment();
            return;
        }
        if (wanted.getAndDecrement() <= 0) {
            return;
        }
        byte[] body = event.getBody();
        int length = body == null ? 0 : body.length;
        TapSample sample = new TapSample(point, System.currentTimeMillis(), Map.copyOf(event.getHeaders()),
                body == null ? new byte[0] : Arrays.copyOf(body, Math.min(length, PREVIEW_BYTES)), length);
        if (!samples.offer(sample)) {
            dropped.increment();
            wanted.incrementAndGet();
        }
    }

    /** The next sample, waiting up to the timeout; null if none came. */
    public TapSample next(long timeout, TimeUnit unit) throws InterruptedException {
        return samples.poll(timeout, unit);
    }

    /** True when every wanted sample has been taken by the watcher. */
    public boolean satisfied() {
        return wanted.get() <= 0 && samples.isEmpty();
    }

    /** Events that passed the point while the tap was open. */
    public long seen() {
        return seen.sum();
    }

    /** Events not sampled because the watcher was behind. */
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
    }
}
