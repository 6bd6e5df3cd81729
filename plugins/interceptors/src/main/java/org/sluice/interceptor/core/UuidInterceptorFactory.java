package org.sluice.interceptor.core;

import java.util.List;
import java.util.UUID;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.event.Event;
import org.sluice.api.interceptor.Interceptor;
import org.sluice.api.interceptor.InterceptorFactory;

/**
 * Flume's UUID interceptor (Flume ships it in its morphline module and knows it only by class name; Sluice
 * also answers to {@code uuid}): a random UUID per event, for de-duplication downstream.
 */
@Component(service = InterceptorFactory.class)
@SluiceType({"uuid", "org.apache.flume.sink.solr.morphline.UUIDInterceptor$Builder",
        "org.sluice.interceptor.core.UuidInterceptor"})
public class UuidInterceptorFactory implements InterceptorFactory {

    /** Flume's keys and defaults. */
    public @interface Config {
        /** The header the UUID goes into. */
        String headerName() default "id";

        /** Keep an id the event already has (one given at the first hop survives the later ones). */
        boolean preserveExisting() default true;

        /** Put before each UUID. */
        String prefix() default "";
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Interceptor create(ComponentContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        Headers.requireName(context, "headerName", config.headerName());
        return new UuidInterceptor(config.headerName(), config.preserveExisting(), config.prefix());
    }

    static final class UuidInterceptor implements Interceptor {
        private final String header;
        private final boolean preserveExisting;
        private final String prefix;

        UuidInterceptor(String header, boolean preserveExisting, String prefix) {
            this.header = header;
            this.preserveExisting = preserveExisting;
            this.prefix = prefix;
        }

        @Override
        public List<Event> intercept(List<Event> events) {
            return InPlace.each(events, this::intercept);
        }

        @Override
        public Event intercept(Event event) {
            if (!preserveExisting || !event.getHeaders().containsKey(header)) {
                event.getHeaders().put(header, prefix + UUID.randomUUID());
            }
            return event;
        }
    }
}
