package org.sluice.sink.nullsink;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.event.Event;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.support.sink.BatchTaker;
import org.sluice.support.sink.BatchWriter;

/**
 * Takes up to {@code batchSize} events per transaction and commits without doing anything with them, as
 * Flume's NullSink does: a sink for measuring a pipeline, or for draining a channel on purpose.
 */
final class NullSink implements Sink {
    /** Flume's logger name, so existing log configurations that tune it keep working. */
    private static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.sink.NullSink");

    private final String name;
    private final BatchTaker batches;
    private final int logEveryNEvents;
    /** Events discarded since this instance started; only the runner thread touches it. */
    private long discarded;

    private final BatchWriter discard = new BatchWriter() {
        @Override
        public void write(Event event) {
            // Discarding is this sink's whole job.
        }

        @Override
        public void committed(int written) {
            logProgress(written);
        }
    };

    NullSink(SinkContext context, int batchSize, int logEveryNEvents) {
        this.name = context.componentName();
        this.batches = new BatchTaker(context, batchSize, "null sink " + name);
        this.logEveryNEvents = logEveryNEvents;
    }

    @Override
    public Status process() throws EventDeliveryException {
        return batches.takeBatch(discard);
    }

    private void logProgress(int taken) {
        long before = discarded;
        discarded += taken;
        if (discarded / logEveryNEvents > before / logEveryNEvents) {
            LOG.info("Null sink {} successful processed {} events.", name, discarded);
        }
    }

    @Override
    public String toString() {
        return "null sink " + name;
    }
}
