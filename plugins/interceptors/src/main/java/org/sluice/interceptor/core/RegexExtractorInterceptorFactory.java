package org.sluice.interceptor.core;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.event.Event;
import org.sluice.api.interceptor.HeaderValueSerializer;
import org.sluice.api.interceptor.HeaderValueSerializerFactory;
import org.sluice.api.interceptor.Interceptor;
import org.sluice.api.interceptor.InterceptorFactory;
import org.sluice.support.config.ConfigValues;
import org.sluice.support.interceptor.InPlace;
import org.sluice.support.interceptor.TypedInterceptorFactory;

/**
 * Flume's {@code regex_extractor} interceptor: finds {@code regex} in the body (UTF-8 text) and puts group
 * n into the header named by the n-th of {@code serializers}, formatted by that serializer. Flume's two serializers
 * are built in; any other {@code serializers.<s>.type} is a plugin's (a Flume
 * {@code RegexExtractorInterceptorSerializer} class), which the source waits for until it is installed.
 */
@Component(service = InterceptorFactory.class)
@SluiceType({"regex_extractor", "org.apache.flume.interceptor.RegexExtractorInterceptor$Builder",
        "org.sluice.interceptor.core.RegexExtractorInterceptor"})
public class RegexExtractorInterceptorFactory extends TypedInterceptorFactory<RegexExtractorInterceptorFactory.Config> {
    private static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.interceptor.RegexExtractorInterceptor");

    static final String PASS_THROUGH = "org.apache.flume.interceptor.RegexExtractorInterceptorPassThroughSerializer";
    static final String MILLIS = "org.apache.flume.interceptor.RegexExtractorInterceptorMillisSerializer";
    private static final String SERIALIZERS_PREFIX = "serializers.";

    /** Flume's keys; each serializer's keys are under {@code serializers.<name>.}. */
    public @interface Config {
        /** The expression searched for in the body; required. */
        String regex();

        /** The serializers, one per group of {@code regex}, in group order; required. */
        String[] serializers();
    }

    public RegexExtractorInterceptorFactory() {
        super(Config.class);
    }

    @Override
    public Set<String> openKeyPrefixes() {
        return Set.of(SERIALIZERS_PREFIX);
    }

    @Override
    protected Interceptor create(ComponentContext context, Config config) throws ConfigurationException {
        Pattern regex = ConfigValues.pattern(context, "regex", config.regex());
        if (config.serializers().length == 0) {
            throw context.configurationError("serializers", "must name at least one serializer");
        }
        List<NamedSerializer> serializers = new ArrayList<>();
        for (String serializer : config.serializers()) {
            String prefix = SERIALIZERS_PREFIX + serializer + ".";
            Map<String, String> own = context.subProperties(prefix);
            String header = own.getOrDefault("name", "").trim();
            if (header.isEmpty()) {
                throw context.configurationError(prefix + "name", "is required: the header of this group");
            }
            String type = own.getOrDefault("type", "default").trim();
            HeaderValueSerializer format;
            if (type.equalsIgnoreCase("default") || type.equals(PASS_THROUGH)) {
                format = value -> value;
            } else if (type.equals(MILLIS)) {
                String pattern = own.getOrDefault("pattern", "").trim();
                if (pattern.isEmpty()) {
                    throw context.configurationError(prefix + "pattern",
                            "is required for " + MILLIS + ": the date pattern of the group");
                }
                try {
                    format = new MillisSerializer(pattern, ZoneId.systemDefault());
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException(context.agentName(), context.componentName(),
                            prefix + "pattern", "'" + pattern + "' is not a valid date pattern: " + e.getMessage(), e);
                }
            } else {
                format = context.lookup(HeaderValueSerializerFactory.class, type, prefix + "type")
                        .create(context, prefix);
            }
            serializers.add(new NamedSerializer(header, format));
        }
        return new RegexExtractorInterceptor(context.componentName(), regex, serializers);
    }

    record NamedSerializer(String header, HeaderValueSerializer serializer) {
    }

    /**
     * Flume's millis serializer: the group parsed with a date pattern, as epoch milliseconds, in the agent's
     * time zone unless the pattern carries one. A pattern without time of day means midnight.
     */
    static final class MillisSerializer implements HeaderValueSerializer {
        private final String pattern;
        private final DateTimeFormatter formatter;
        private final ZoneId zone;

        MillisSerializer(String pattern, ZoneId zone) {
            this.pattern = pattern;
            this.formatter = DateTimeFormatter.ofPattern(pattern);
            this.zone = zone;
        }

        @Override
        public String serialize(String value) {
            TemporalAccessor parsed;
            try {
                parsed = formatter.parse(value);
            } catch (DateTimeParseException e) {
                // Flume throws out of the interceptor chain here, which stalls the source on this event for
                // good. The event itself is fine: it goes on without this header, and the log says why.
                LOG.warn("'{}' does not match the date pattern '{}'; the header is left out: {}", value, pattern,
                        e.getMessage());
                return null;
            }
            if (parsed.isSupported(ChronoField.INSTANT_SECONDS)) {
                return Long.toString(ZonedDateTime.from(parsed).toInstant().toEpochMilli());
            }
            LocalDate date = parsed.query(TemporalQueries.localDate());
            if (date == null) {
                LOG.warn("The date pattern '{}' gives no date for '{}'; the header is left out", pattern, value);
                return null;
            }
            LocalTime time = parsed.query(TemporalQueries.localTime());
            ZoneId parsedZone = parsed.query(TemporalQueries.zone());
            ZonedDateTime at = ZonedDateTime.of(date, time == null ? LocalTime.MIDNIGHT : time,
                    parsedZone == null ? zone : parsedZone);
            return Long.toString(at.toInstant().toEpochMilli());
        }
    }

    record RegexExtractorInterceptor(String name, Pattern regex, List<NamedSerializer> serializers)
            implements Interceptor {
        RegexExtractorInterceptor {
            serializers = List.copyOf(serializers);
        }

        @Override
        public List<Event> intercept(List<Event> events) {
            return InPlace.each(events, this::intercept);
        }

        @Override
        public Event intercept(Event event) {
            Matcher matcher = regex.matcher(new String(event.getBody(), StandardCharsets.UTF_8));
            if (!matcher.find()) {
                return event;
            }
            // As in Flume: groups beyond the serializers are ignored, serializers beyond the groups unused.
            int groups = Math.min(matcher.groupCount(), serializers.size());
            for (int group = 1; group <= groups; group++) {
                String value = matcher.group(group);
                if (value == null) {
                    continue; // an optional group that did not take part: nothing to put
                }
                NamedSerializer serializer = serializers.get(group - 1);
                String formatted;
                try {
                    formatted = serializer.serializer().serialize(value);
                } catch (RuntimeException e) {
                    // A plugin's serializer that throws would stall the source on this event for good, as in
                    // Flume; the event goes on without this header instead, as with a date the millis one refuses.
                    LOG.warn("{}: the serializer of header '{}' refused '{}'; the header is left out", name,
                            serializer.header(), value, e);
                    continue;
                }
                if (formatted != null) {
                    event.getHeaders().put(serializer.header(), formatted);
                }
            }
            return event;
        }

        @Override
        public String toString() {
            return "regex extractor interceptor " + name;
        }
    }
}
