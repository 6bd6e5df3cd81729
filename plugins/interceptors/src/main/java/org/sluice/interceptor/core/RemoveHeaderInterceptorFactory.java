package org.sluice.interceptor.core;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.event.Event;
import org.sluice.api.interceptor.Interceptor;
import org.sluice.api.interceptor.InterceptorFactory;
import org.sluice.support.config.ConfigValues;
import org.sluice.support.interceptor.InPlace;
import org.sluice.support.interceptor.TypedInterceptorFactory;

/**
 * Flume's {@code remove_header} interceptor: removes the header named {@code withName}, those listed in
 * {@code fromList}, and those whose whole name matches {@code matching}. None configured: events pass
 * unchanged.
 */
@Component(service = InterceptorFactory.class)
@SluiceType({"remove_header", "org.apache.flume.interceptor.RemoveHeaderInterceptor$Builder",
        "org.sluice.interceptor.core.RemoveHeaderInterceptor"})
public class RemoveHeaderInterceptorFactory extends TypedInterceptorFactory<RemoveHeaderInterceptorFactory.Config> {

    /** Flume's keys and defaults; an empty string means "not configured". */
    public @interface Config {
        /** One header to remove. */
        String withName() default "";

        /** Headers to remove, separated by {@code fromListSeparator}. */
        String fromList() default "";

        /** Regular expression between the names of {@code fromList}. */
        String fromListSeparator() default "\\s*,\\s*";

        /** Headers whose names match this regular expression are removed. */
        String matching() default "";
    }

    public RemoveHeaderInterceptorFactory() {
        super(Config.class);
    }

    @Override
    protected Interceptor create(ComponentContext context, Config config) throws ConfigurationException {
        Set<String> names = new LinkedHashSet<>();
        if (!config.withName().isEmpty()) {
            names.add(config.withName());
        }
        if (!config.fromList().isEmpty()) {
            Pattern separator = ConfigValues.pattern(context, "fromListSeparator", config.fromListSeparator());
            for (String name : separator.split(config.fromList())) {
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        Pattern matching = config.matching().isEmpty() ? null
                : ConfigValues.pattern(context, "matching", config.matching());
        return new RemoveHeaderInterceptor(names, matching);
    }

    record RemoveHeaderInterceptor(Set<String> names, Pattern matching) implements Interceptor {
        RemoveHeaderInterceptor {
            names = Set.copyOf(names);
        }

        @Override
        public List<Event> intercept(List<Event> events) {
            return InPlace.each(events, this::intercept);
        }

        @Override
        public Event intercept(Event event) {
            Map<String, String> headers = event.getHeaders();
            headers.keySet().removeAll(names);
            if (matching != null) {
                headers.keySet().removeIf(name -> matching.matcher(name).matches());
            }
            return event;
        }
    }
}
