package org.sluice.interceptor.core;

import java.util.List;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.event.Event;
import org.sluice.api.interceptor.Interceptor;
import org.sluice.api.interceptor.InterceptorFactory;

/**
 * Flume's {@code search_replace} interceptor: the body, read in {@code charset}, with every match of
 * {@code searchPattern} replaced by {@code replaceString} (Java's {@code Matcher.replaceAll} rules, so
 * {@code $1} refers to a group).
 */
@Component(service = InterceptorFactory.class)
@SluiceType({"search_replace", "org.apache.flume.interceptor.SearchAndReplaceInterceptor$Builder",
        "org.sluice.interceptor.core.SearchAndReplaceInterceptor"})
public class SearchAndReplaceInterceptorFactory implements InterceptorFactory {

    /** Flume's keys and defaults. */
    public @interface Config {
        /** The expression to replace; required. */
        String searchPattern();

        /** What replaces each match; required, may be empty (deletes the matches). */
        String replaceString();

        /** The body's character set. */
        String charset() default "UTF-8";
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Interceptor create(ComponentContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        if (config.searchPattern().isEmpty()) {
            throw context.configurationError("searchPattern", "must not be empty");
        }
        Pattern pattern = Headers.pattern(context, "searchPattern", config.searchPattern());
        Charset charset;
        try {
            charset = Charset.forName(config.charset());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new ConfigurationException(context.agentName(), context.componentName(), "charset",
                    "'" + config.charset() + "' is not a character set this JVM supports", e);
        }
        // Untrimmed: a replacement of " " or "x " is meant as written.
        String replacement = Headers.raw(context, "replaceString", config.replaceString());
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

    static final class SearchAndReplaceInterceptor implements Interceptor {
        private final Pattern pattern;
        private final String replacement;
        private final Charset charset;

        SearchAndReplaceInterceptor(Pattern pattern, String replacement, Charset charset) {
            this.pattern = pattern;
            this.replacement = replacement;
            this.charset = charset;
        }

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
