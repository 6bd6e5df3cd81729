package org.sluice.sink.logger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.event.Event;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.support.sink.BatchTaker;
import org.sluice.support.sink.BatchWriter;

/**
 * Logs every event it takes at INFO as {@code Event: { headers:{...} body: <hex dump> }}. Like Flume's, it
 * takes the events even when INFO is off for its logger: it is a debugging sink, and a sink that stopped
 * draining its channel would stall the flow.
 */
final class LoggerSink implements Sink {
    /** Flume's logger name, so log configurations written for Flume still route and filter these lines. */
    static final String LOGGER_NAME = "org.apache.flume.sink.LoggerSink";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

    private final String name;
    private final BatchTaker batches;
    private final EventDump dump;
    private final BatchWriter logEach = this::log;

    LoggerSink(SinkContext context, EventDump dump, int batchSize) {
        this.name = context.componentName();
        this.batches = new BatchTaker(context, batchSize, "logger sink " + name);
        this.dump = dump;
    }

    @Override
    public Status process() throws EventDeliveryException {
        return batches.takeBatch(logEach);
    }

    private void log(Event event) {
        if (LOG.isInfoEnabled()) {
            LOG.info("Event: {}", dump.render(event));
        }
    }

    @Override
    public String toString() {
        return "logger sink " + name;
    }
}
