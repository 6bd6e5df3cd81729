package org.sluice.interceptor.core;

import java.util.List;
import java.util.function.LongSupplier;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.event.Event;
import org.sluice.api.interceptor.Interceptor;
import org.sluice.api.interceptor.InterceptorFactory;
import org.sluice.support.interceptor.HeaderWriter;
import org.sluice.support.interceptor.InPlace;
import org.sluice.support.interceptor.TypedInterceptorFactory;

/** Flume's {@code timestamp} interceptor: the time the event passed through, in epoch milliseconds. */
@Component(service = InterceptorFactory.class)
@SluiceType({"timestamp", "org.apache.flume.interceptor.TimestampInterceptor$Builder",
        "org.sluice.interceptor.core.TimestampInterceptor"})
public class TimestampInterceptorFactory extends TypedInterceptorFactory<TimestampInterceptorFactory.Config> {

    /** Flume's keys and defaults. */
    public @interface Config {
        /** The header the time goes into. */
        String headerName() default "timestamp";

        /** Keep a value the event already has. */
        boolean preserveExisting() default false;
    }

    public TimestampInterceptorFactory() {
        super(Config.class);
    }

    @Override
    protected Interceptor create(ComponentContext context, Config config) throws ConfigurationException {
        return new TimestampInterceptor(HeaderWriter.configured(context, "headerName", config.headerName(),
                config.preserveExisting()), System::currentTimeMillis);
    }

    record TimestampInterceptor(HeaderWriter header, LongSupplier clock) implements Interceptor {
        @Override
        public List<Event> intercept(List<Event> events) {
            return InPlace.each(events, this::intercept);
        }

        @Override
        public Event intercept(Event event) {
            // Asked first: the clock is read only for an event that gets the header.
            if (header.writes(event)) {
                event.getHeaders().put(header.name(), Long.toString(clock.getAsLong()));
            }
            return event;
        }
    }
}
