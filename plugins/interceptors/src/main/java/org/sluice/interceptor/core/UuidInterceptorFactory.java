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
import org.sluice.support.interceptor.HeaderWriter;
import org.sluice.support.interceptor.InPlace;
import org.sluice.support.interceptor.TypedInterceptorFactory;

/**
 * Flume's UUID interceptor (Flume ships it in its morphline module and knows it only by class name; Sluice
 * also answers to {@code uuid}): a random UUID per event, for de-duplication downstream.
 */
@Component(service = InterceptorFactory.class)
@SluiceType({"uuid", "org.apache.flume.sink.solr.morphline.UUIDInterceptor$Builder",
        "org.sluice.interceptor.core.UuidInterceptor"})
public class UuidInterceptorFactory extends TypedInterceptorFactory<UuidInterceptorFactory.Config> {

    /** Flume's keys and defaults. */
    public @interface Config {
        /** The header the UUID goes into. */
        String headerName() default "id";

        /** Keep an id the event already has (one given at the first hop survives the later ones). */
        boolean preserveExisting() default true;

        /** Put before each UUID. */
        String prefix() default "";
    }

    public UuidInterceptorFactory() {
        super(Config.class);
    }

    @Override
    protected Interceptor create(ComponentContext context, Config config) throws ConfigurationException {
        return new UuidInterceptor(HeaderWriter.configured(context, "headerName", config.headerName(),
                config.preserveExisting()), config.prefix());
    }

    record UuidInterceptor(HeaderWriter header, String prefix) implements Interceptor {
        @Override
        public List<Event> intercept(List<Event> events) {
            return InPlace.each(events, this::intercept);
        }

        @Override
        public Event intercept(Event event) {
            // Asked first: a UUID is made only for an event that gets one.
            if (header.writes(event)) {
                event.getHeaders().put(header.name(), prefix + UUID.randomUUID());
            }
            return event;
        }
    }
}
