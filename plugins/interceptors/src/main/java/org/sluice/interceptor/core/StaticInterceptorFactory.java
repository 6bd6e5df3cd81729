package org.sluice.interceptor.core;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.event.Event;
import org.sluice.api.interceptor.Interceptor;
import org.sluice.api.interceptor.InterceptorFactory;

/** Flume's {@code static} interceptor: one fixed header on every event. */
@Component(service = InterceptorFactory.class)
@SluiceType({"static", "org.apache.flume.interceptor.StaticInterceptor$Builder",
        "org.sluice.interceptor.core.StaticInterceptor"})
public class StaticInterceptorFactory implements InterceptorFactory {

    /** Flume's keys and defaults. */
    public @interface Config {
        /** Keep a value the event already has. */
        boolean preserveExisting() default true;

        /** The header's name. */
        String key() default "key";

        /** The header's value. */
        String value() default "value";
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Interceptor create(ComponentContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        Headers.requireName(context, "key", config.key());
        return new StaticInterceptor(config.key(), config.value(), config.preserveExisting());
    }

    static final class StaticInterceptor implements Interceptor {
        private final String key;
        private final String value;
        private final boolean preserveExisting;

        StaticInterceptor(String key, String value, boolean preserveExisting) {
            this.key = key;
            this.value = value;
            this.preserveExisting = preserveExisting;
        }

        @Override
        public List<Event> intercept(List<Event> events) {
            return InPlace.each(events, this::intercept);
        }

        @Override
        public Event intercept(Event event) {
            if (!preserveExisting || !event.getHeaders().containsKey(key)) {
                event.getHeaders().put(key, value);
            }
            return event;
        }
    }
}
