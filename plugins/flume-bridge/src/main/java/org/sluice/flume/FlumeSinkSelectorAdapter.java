package org.sluice.flume;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.apache.flume.sink.LoadBalancingSinkProcessor;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkSelector;

/**
 * A Flume {@code LoadBalancingSinkProcessor.SinkSelector} of a plugin (a {@code load_balance} group's
 * {@code processor.selector = com.example.X}), choosing among {@link FlumeSinkView}s of the group's Sluice sinks.
 */
final class FlumeSinkSelectorAdapter implements SinkSelector {
    private final LoadBalancingSinkProcessor.SinkSelector selector;
    private final List<org.apache.flume.Sink> views;
    private final PluginCall call;

    /** @param views the group's sinks as the selector was given them ({@code setSinks}) */
    FlumeSinkSelectorAdapter(LoadBalancingSinkProcessor.SinkSelector selector, List<org.apache.flume.Sink> views,
            PluginCall call) {
        this.selector = selector;
        this.views = views;
        this.call = call;
    }

    @Override
    public void start() {
        call.run(selector::start);
    }

    @Override
    public void stop() {
        try {
            call.run(selector::stop);
        } finally {
            call.counters().close();
        }
    }

    @Override
    public Iterator<Sink> createSinkIterator() {
        Iterator<org.apache.flume.Sink> sinks = call.call(selector::createSinkIterator);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return sinks.hasNext();
            }

            @Override
            public Sink next() {
                org.apache.flume.Sink next = sinks.next();
                if (next instanceof FlumeSinkView view) {
                    return view.sluiceSink();
                }
                throw new NoSuchElementException("sink selector returned " + next + ", which is not a sink of the group");
            }
        };
    }

    @Override
    public void informSinkFailed(Sink failedSink) {
        // The selector knows the group's sinks by their views.
        for (org.apache.flume.Sink view : views) {
            if (((FlumeSinkView) view).sluiceSink() == failedSink) {
                call.run(() -> selector.informSinkFailed(view));
                return;
            }
        }
    }
}
