package org.sluice.flume;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.flume.Channel;
import org.apache.flume.EventDeliveryException;
import org.sluice.api.sink.Sink;

/**
 * A Sluice sink of a group as a Flume sink processor or load_balance selector sees it. The platform starts and stops
 * the group's sinks, so start and stop here do nothing (Flume's processors start their sinks themselves).
 */
final class FlumeSinkView extends PlatformOwnedView implements org.apache.flume.Sink {
    private final Sink sink;

    private FlumeSinkView(String name, Sink sink) {
        super("sink", name);
        this.sink = sink;
    }

    /**
     * The group's sinks as Flume sees them, in the group's order. A sink that is itself a Flume sink is viewed too,
     * not handed over: its calls go through the bridge, and the processor must not start it a second time.
     */
    static List<org.apache.flume.Sink> of(Map<String, Sink> sinks) {
        List<org.apache.flume.Sink> views = new ArrayList<>(sinks.size());
        sinks.forEach((name, sink) -> views.add(new FlumeSinkView(name, sink)));
        return views;
    }

    Sink sluiceSink() {
        return sink;
    }

    @Override
    public void setChannel(Channel channel) {
    }

    @Override
    public Channel getChannel() {
        return null;
    }

    @Override
    public Status process() throws EventDeliveryException {
        try {
            return sink.process() == Sink.Status.READY ? Status.READY : Status.BACKOFF;
        } catch (org.sluice.api.sink.EventDeliveryException e) {
            throw new EventDeliveryException(e.getMessage(), e);
        }
    }
}
