package org.sluice.flume;

import java.util.List;

import org.sluice.api.event.Event;
import org.sluice.api.interceptor.Interceptor;

/**
 * A Flume interceptor of a plugin in a source's chain. The batch form calls Flume's batch form, which many
 * interceptors implement on their own; what it returns is converted back, never more events than it was given.
 */
final class FlumeInterceptorAdapter implements Interceptor {
    private final org.apache.flume.interceptor.Interceptor interceptor;
    private final PluginCall call;

    FlumeInterceptorAdapter(org.apache.flume.interceptor.Interceptor interceptor, PluginCall call) {
        this.interceptor = interceptor;
        this.call = call;
    }

    @Override
    public void start() {
        call.run(interceptor::initialize);
    }

    @Override
    public void stop() {
        try {
            call.run(interceptor::close);
        } finally {
            call.counters().close();
        }
    }

    @Override
    public Event intercept(Event event) {
        return FlumeEvents.toSluice(call.call(() -> interceptor.intercept(FlumeEvents.toFlume(event))));
    }

    @Override
    public List<Event> intercept(List<Event> events) {
        List<org.apache.flume.Event> out = call.call(() -> interceptor.intercept(FlumeEvents.toFlume(events)));
        return out == null ? List.of() : FlumeEvents.toSluice(out);
    }

    @Override
    public String toString() {
        return interceptor.toString();
    }
}
