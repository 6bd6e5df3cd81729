package org.sluice.kafka.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sink's {@code kafka.topic} with Flume's header escapes: {@code %{name}} is the event's header {@code name}
 * (empty when the event has none). A topic without escapes is returned as is, with no work per event.
 */
final class TopicTemplate {
    private final String constant;
    private final String[] literals;
    private final String[] headers;

    private TopicTemplate(String constant, String[] literals, String[] headers) {
        this.constant = constant;
        this.literals = literals;
        this.headers = headers;
    }

    static TopicTemplate parse(String template) {
        if (!template.contains("%{")) {
            return new TopicTemplate(template, null, null);
        }
        List<String> literals = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        int at = 0;
        StringBuilder literal = new StringBuilder();
        while (at < template.length()) {
            int open = template.indexOf("%{", at);
            int close = open < 0 ? -1 : template.indexOf('}', open + 2);
            if (open < 0 || close < 0) {
                literal.append(template, at, template.length());
                break;
            }
            literal.append(template, at, open);
            literals.add(literal.toString());
            literal.setLength(0);
            headers.add(template.substring(open + 2, close));
            at = close + 1;
        }
        literals.add(literal.toString());
        return new TopicTemplate(null, literals.toArray(String[]::new), headers.toArray(String[]::new));
    }

    String topicFor(Map<String, String> eventHeaders) {
        if (constant != null) {
            return constant;
        }
        StringBuilder topic = new StringBuilder(literals[0]);
        for (int i = 0; i < headers.length; i++) {
            String value = eventHeaders.get(headers[i]);
            if (value != null) {
                topic.append(value);
            }
            topic.append(literals[i + 1]);
        }
        return topic.toString();
    }
}
