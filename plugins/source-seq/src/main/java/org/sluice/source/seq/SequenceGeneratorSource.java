package org.sluice.source.seq;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.api.source.PollableSource;
import org.sluice.api.source.SourceContext;

/**
 * Generates events whose bodies are the numbers 0, 1, 2, ... as decimal text, {@code batchSize} per call,
 * until {@code totalEvents} are accepted. A batch the channels refuse is generated again with the same
 * numbers, so after de-duplication downstream there are exactly {@code totalEvents} distinct events.
 */
final class SequenceGeneratorSource implements PollableSource {
    /** Flume's logger name, so existing log configurations keep working. */
    private static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.source.SequenceGeneratorSource");

    private final String name;
    private final ChannelProcessor processor;
    private final SourceCounter counter;
    private final int batchSize;
    private final long totalEvents;
    private final long backoffSleepIncrement;
    private final long maxBackoffSleep;
    /** The next number to send; advanced only when the channels accepted the batch. Runner thread only. */
    private long next;

    SequenceGeneratorSource(SourceContext context, int batchSize, long totalEvents, long backoffSleepIncrement,
            long maxBackoffSleep) {
        this.name = context.componentName();
        this.processor = context.channelProcessor();
        this.counter = context.counter();
        this.batchSize = batchSize;
        this.totalEvents = totalEvents;
        this.backoffSleepIncrement = backoffSleepIncrement;
        this.maxBackoffSleep = maxBackoffSleep;
    }

    @Override
    public Status process() {
        int count = (int) Math.min(batchSize, totalEvents - next);
        if (count <= 0) {
            return Status.BACKOFF;
        }
        try {
            if (batchSize == 1) {
                processor.processEvent(eventFor(next));
            } else {
                List<Event> batch = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    batch.add(eventFor(next + i));
                }
                processor.processEventBatch(batch);
                counter.incrementAppendBatchAcceptedCount();
            }
        } catch (ChannelException e) {
            // Nothing was accepted: the same numbers go again on the next call, after the runner's backoff.
            counter.incrementChannelWriteFail();
            LOG.warn("Sequence generator {}: the channels refused events {} to {}; retrying them: {}", name, next,
                    next + count - 1, e.getMessage());
            return Status.BACKOFF;
        }
        next += count;
        counter.addToEventAcceptedCount(count);
        // A short batch means the sequence is complete; Flume backs off from then on.
        return count == batchSize ? Status.READY : Status.BACKOFF;
    }

    private static Event eventFor(long number) {
        return new SimpleEvent(Long.toString(number).getBytes(StandardCharsets.US_ASCII), null);
    }

    @Override
    public long backoffSleepIncrement() {
        return backoffSleepIncrement;
    }

    @Override
    public long maxBackoffSleep() {
        return maxBackoffSleep;
    }

    @Override
    public String toString() {
        return "sequence generator source " + name;
    }
}
