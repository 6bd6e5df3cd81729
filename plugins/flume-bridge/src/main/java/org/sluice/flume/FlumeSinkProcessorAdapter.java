package org.sluice.flume;

import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkProcessor;

/** A Flume sink processor of a plugin, running a Sluice sink group through {@link FlumeSinkView}s. */
final class FlumeSinkProcessorAdapter implements SinkProcessor {
    private final org.apache.flume.SinkProcessor processor;
    private final PluginCall call;

    FlumeSinkProcessorAdapter(org.apache.flume.SinkProcessor processor, PluginCall call) {
        this.processor = processor;
        this.call = call;
    }

    @Override
    public void start() {
        call.run(processor::start);
    }

    @Override
    public void stop() {
        try {
            call.run(processor::stop);
        } finally {
            call.counters().close();
        }
    }

    @Override
    public Sink.Status process() throws EventDeliveryException {
        try {
            return call.call(processor::process) == org.apache.flume.Sink.Status.READY ? Sink.Status.READY
                    : Sink.Status.BACKOFF;
        } catch (org.apache.flume.EventDeliveryException e) {
            throw new EventDeliveryException(e.getMessage(), e);
        }
    }
}
