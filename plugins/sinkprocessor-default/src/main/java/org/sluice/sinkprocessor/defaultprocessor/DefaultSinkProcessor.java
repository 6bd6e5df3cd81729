package org.sluice.sinkprocessor.defaultprocessor;

import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkProcessor;

/** Runs the group's only sink: each process() is the sink's. */
final class DefaultSinkProcessor implements SinkProcessor {
    private final Sink sink;

    DefaultSinkProcessor(Sink sink) {
        this.sink = sink;
    }

    @Override
    public Sink.Status process() throws EventDeliveryException {
        return sink.process();
    }

    @Override
    public String toString() {
        return "default sink processor of " + sink;
    }
}
