package org.sluice.interceptor.core;

import java.nio.charset.Charset;
import java.util.List;
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
 * Flume's {@code search_replace} interceptor: the body, read in {@code charset}, with every match of
 * {@code searchPattern} replaced by {@code replaceString} (Java's {@code Matcher.replaceAll} rules, so
 * {@code $1} refers to a group).
 */
@Component(service = InterceptorFactory.class)
@SluiceType({"search_replace", "org.apache.flume.interceptor.SearchAndReplaceInterceptor$Builder",
        "org.sluice.interceptor.core.SearchAndReplaceInterceptor"})
public class SearchAndReplaceInterceptorFactory extends TypedInterceptorFactory<SearchAndReplaceInterceptorFactory.Config> {

    /** Flume's keys and defaults. */
    public @interface Config {
        /** The expression to replace; required. */
        String searchPattern();

        /** What replaces each match; required, may be empty (deletes the matches). */
        String replaceString();

        /** The body's character set. */
        String charset() default "UTF-8";
    }

    public SearchAndReplaceInterceptorFactory() {
        super(Config.class);
    }

    @Override
    protected Interceptor create(ComponentContext context, Config config) throws ConfigurationException {
        Pattern pattern = ConfigValues.pattern(context, "searchPattern",
                ConfigValues.nonEmpty(context, "searchPattern", config.searchPattern()));
        Charset charset = ConfigValues.charset(context, "charset", config.charset());
        // Untrimmed: a replacement of " " or "x " is meant as written.
        String replacement = ConfigValues.untrimmed(context, "replaceString", config.replaceString());
        // A "$3" for a pattern with two groups, or a lone "$", would otherwise fail on every event.
        String problem = replacementProblem(replacement, pattern.matcher("").groupCount());
        if (problem != null) {
            throw context.configurationError("replaceString",
                    "'" + replacement + "' is not a valid replacement for '" + config.searchPattern() + "': " + problem);
        }
        return new SearchAndReplaceInterceptor(pattern, replacement, charset);
    }

    /**
     * What {@code Matcher.replaceAll} would throw for this replacement, checked once here instead of on the
     * first matching event; null if it is fine. Named groups ({@code ${name}}) are left to the matcher.
     */
    static String replacementProblem(String replacement, int groups) {
        for (int i = 0; i < replacement.length(); i++) {
            char c = replacement.charAt(i);
            if (c == '\\') {
                if (++i == replacement.length()) {
                    return "a trailing \\ escapes nothing";
                }
            } else if (c == '$') {
                if (++i == replacement.length()) {
                    return "a trailing $ refers to no group";
                }
                char next = replacement.charAt(i);
                if (next == '{') {
                    if (replacement.indexOf('}', i) < 0) {
                        return "a ${ without its }";
                    }
                } else if (next < '0' || next > '9') {
                    return "$ must be followed by a group number or {name}; write \\$ for a dollar sign";
                } else if (next - '0' > groups) {
                    return "group " + next + " does not exist, the pattern has " + groups;
                }
            }
        }
        return null;
    }

    record SearchAndReplaceInterceptor(Pattern pattern, String replacement, Charset charset) implements Interceptor {
        @Override
        public List<Event> intercept(List<Event> events) {
            return InPlace.each(events, this::intercept);
        }

        @Override
        public Event intercept(Event event) {
            String body = new String(event.getBody(), charset);
            event.setBody(pattern.matcher(body).replaceAll(replacement).getBytes(charset));
            return event;
        }
    }
}
