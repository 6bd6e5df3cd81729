package org.sluice.source.syslog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.support.guard.RateLimitedLog;

/**
 * The events of one connection (or of the datagram socket) on their way to the channels, in batches: a batch goes
 * when it is full or when a read ends.
 *
 * <p>Syslog has no acknowledgement, so Flume drops a batch the channels refuse. Here the batch is kept and offered
 * again, 50 ms later and then at most every second, and meanwhile nothing more is read from the connection: TCP's
 * flow control makes the sender wait (rsyslog queues), and a datagram socket's buffer fills before the kernel drops.
 * A batch is lost only if the source stops before the channels take it, and then it is counted and logged.
 *
 * <p>Used on the connection's event loop only.
 */
final class BatchDelivery {
    private static final long FIRST_RETRY_MILLIS = 50;
    private static final long MAX_RETRY_MILLIS = 1000;

    /** What every connection of one source shares. */
    record Target(String source, ChannelProcessor processor, SourceCounter counter, int batchSize, Logger log,
            RateLimitedLog refusals, AtomicLong waiting) {

        /** At the source's stop: the events still waiting for the channels are lost, and said so. */
        void reportLost(String description) {
            long lost = waiting.getAndSet(0);
            if (lost > 0) {
                log.error("{}: {} events received were still waiting for the channels to take them when the source "
                        + "stopped; they are lost (syslog cannot ask its senders again)", description, lost);
            }
        }
    }

    private final Target target;
    private List<Event> pending;
    private boolean retrying;
    private long retryMillis;

    BatchDelivery(Target target) {
        this.target = target;
        this.pending = new ArrayList<>(target.batchSize());
    }

    /**
     * Adds the event of a message: counted as a read failure if it was not syslog, with the headers of its connection
     * or sender (which win over the message's own, as in Flume).
     */
    void add(ChannelHandlerContext ctx, Event event, boolean invalid, Map<String, String> connectionHeaders) {
        if (invalid) {
            target.counter().incrementEventReadFail();
        }
        if (!connectionHeaders.isEmpty()) {
            event.getHeaders().putAll(connectionHeaders);
        }
        add(ctx, event);
    }

    /** Adds an event received; a full batch is delivered at once. */
    void add(ChannelHandlerContext ctx, Event event) {
        pending.add(event);
        target.counter().addToEventReceivedCount(1);
        if (!retrying && pending.size() >= target.batchSize()) {
            deliver(ctx);
        }
    }

    /** A read ended: deliver what it brought. */
    void readComplete(ChannelHandlerContext ctx) {
        if (!retrying && !pending.isEmpty()) {
            deliver(ctx);
        }
    }

    private void deliver(ChannelHandlerContext ctx) {
        List<Event> batch = pending;
        try {
            target.processor().processEventBatch(batch);
        } catch (RuntimeException e) {
            if (e instanceof ChannelException) {
                target.counter().incrementChannelWriteFail();
            } else {
                target.counter().incrementGenericProcessingFail();
            }
            if (!retrying) {
                retrying = true;
                retryMillis = FIRST_RETRY_MILLIS;
                target.waiting().addAndGet(batch.size());
                ctx.channel().config().setAutoRead(false);
                target.refusals().warn("Syslog source {}: the channels refused {} events ({}); reading from {} paused until "
                        + "they take them", target.source(), batch.size(), e.getMessage(),
                        ctx.channel().remoteAddress() == null ? "the socket" : ctx.channel().remoteAddress());
            } else {
                retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
            }
            ctx.executor().schedule(() -> deliver(ctx), retryMillis, TimeUnit.MILLISECONDS);
            return;
        }
        target.counter().addToEventAcceptedCount(batch.size());
        pending = new ArrayList<>(target.batchSize());
        if (retrying) {
            retrying = false;
            target.waiting().addAndGet(-batch.size());
            target.log().debug("Syslog source {}: the channels took the {} waiting events; reading again",
                    target.source(), batch.size());
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }
}
