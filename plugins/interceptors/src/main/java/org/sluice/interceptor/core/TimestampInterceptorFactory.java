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

/** Flume's {@code timestamp} interceptor: the time the event passed through, in epoch milliseconds. */
@Component(service = InterceptorFactory.class)
@SluiceType({"timestamp", "org.apache.flume.interceptor.TimestampInterceptor$Builder",
        "org.sluice.interceptor.core.TimestampInterceptor"})
public class TimestampInterceptorFactory implements InterceptorFactory {

    /** Flume's keys and defaults. */
    public @interface Config {
        /** The header the time goes into. */
        String headerName() default "timestamp";

        /** Keep a value the event already has. */
        boolean preserveExisting() default false;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Interceptor create(ComponentContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        Headers.requireName(context, "headerName", config.headerName());
        return new TimestampInterceptor(config.headerName(), config.preserveExisting(), System::currentTimeMillis);
    }

    static final class TimestampInterceptor implements Interceptor {
        private final String header;
        private final boolean preserveExisting;
        private final LongSupplier clock;

        TimestampInterceptor(String header, boolean preserveExisting, LongSupplier clock) {
            this.header = header;
            this.preserveExisting = preserveExisting;
            this.clock = clock;
        }

        @Override
        public List<Event> intercept(List<Event> events) {
            return InPlace.each(events, this::intercept);
        }

        @Override
        public Event intercept(Event event) {
            if (!preserveExisting || !event.getHeaders().containsKey(header)) {
                event.getHeaders().put(header, Long.toString(clock.getAsLong()));
            }
            return event;
        }
    }
}
