package org.sluice.flume;

import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;

/**
 * A Flume sink of a plugin, run by Sluice's sink runner or sink processor. The sink takes from a
 * {@link FlumeChannelView} of its Sluice channel and keeps Flume's transaction template itself; its delivery
 * failures reach the runner as Sluice's, which backs off as Flume's runner does.
 */
final class FlumeSinkAdapter implements Sink {
    private final org.apache.flume.Sink sink;
    private final PluginCall call;

    FlumeSinkAdapter(org.apache.flume.Sink sink, PluginCall call) {
        this.sink = sink;
        this.call = call;
    }

    @Override
    public void start() {
        call.run(sink::start);
    }

    @Override
    public void stop() {
        try {
            call.run(sink::stop);
        } finally {
            call.counters().close();
        }
    }

    @Override
    public Status process() throws EventDeliveryException {
        try {
            return call.call(sink::process) == org.apache.flume.Sink.Status.READY ? Status.READY : Status.BACKOFF;
        } catch (org.apache.flume.EventDeliveryException e) {
            throw new EventDeliveryException(e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return sink.toString();
    }
}
