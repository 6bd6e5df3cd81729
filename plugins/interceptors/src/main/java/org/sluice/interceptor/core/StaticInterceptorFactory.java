package org.sluice.interceptor.core;

import java.util.List;

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

/** Flume's {@code static} interceptor: one fixed header on every event. */
@Component(service = InterceptorFactory.class)
@SluiceType({"static", "org.apache.flume.interceptor.StaticInterceptor$Builder",
        "org.sluice.interceptor.core.StaticInterceptor"})
public class StaticInterceptorFactory extends TypedInterceptorFactory<StaticInterceptorFactory.Config> {

    /** Flume's keys and defaults. */
    public @interface Config {
        /** Keep a value the event already has. */
        boolean preserveExisting() default true;

        /** The header's name. */
        String key() default "key";

        /** The header's value. */
        String value() default "value";
    }

    public StaticInterceptorFactory() {
        super(Config.class);
    }

    @Override
    protected Interceptor create(ComponentContext context, Config config) throws ConfigurationException {
        return new StaticInterceptor(HeaderWriter.configured(context, "key", config.key(), config.preserveExisting()),
                config.value());
    }

    record StaticInterceptor(HeaderWriter header, String value) implements Interceptor {
        @Override
        public List<Event> intercept(List<Event> events) {
            return InPlace.each(events, this::intercept);
        }

        @Override
        public Event intercept(Event event) {
            header.write(event, value);
            return event;
        }
    }
}
