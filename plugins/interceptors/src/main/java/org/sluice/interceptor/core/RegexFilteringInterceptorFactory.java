package org.sluice.interceptor.core;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.event.Event;
import org.sluice.api.interceptor.Interceptor;
import org.sluice.api.interceptor.InterceptorFactory;
import org.sluice.support.config.ConfigValues;
import org.sluice.support.interceptor.TypedInterceptorFactory;

/**
 * Flume's {@code regex_filter} interceptor: keeps (or, with {@code excludeEvents}, drops) the events whose
 * body, read as UTF-8 text, contains a match of {@code regex} (a find, not a whole-body match, as in Flume).
 */
@Component(service = InterceptorFactory.class)
@SluiceType({"regex_filter", "org.apache.flume.interceptor.RegexFilteringInterceptor$Builder",
        "org.sluice.interceptor.core.RegexFilteringInterceptor"})
public class RegexFilteringInterceptorFactory extends TypedInterceptorFactory<RegexFilteringInterceptorFactory.Config> {

    /** Flume's keys and defaults. */
    public @interface Config {
        /** The expression searched for in the body. */
        String regex() default ".*";

        /** True: drop the events that match; false: drop those that do not. */
        boolean excludeEvents() default false;
    }

    public RegexFilteringInterceptorFactory() {
        super(Config.class);
    }

    @Override
    protected Interceptor create(ComponentContext context, Config config) throws ConfigurationException {
        return new RegexFilteringInterceptor(ConfigValues.pattern(context, "regex", config.regex()),
                config.excludeEvents());
    }

    record RegexFilteringInterceptor(Pattern regex, boolean excludeEvents) implements Interceptor {
        @Override
        public Event intercept(Event event) {
            // Flume decodes with the platform charset; UTF-8 is what that is on every agent we support
            // and keeps the filter's result independent of the host's locale.
            boolean matches = regex.matcher(new String(event.getBody(), StandardCharsets.UTF_8)).find();
            return matches != excludeEvents ? event : null;
        }
    }
}
