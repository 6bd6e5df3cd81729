package org.sluice.platform.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The samples of a Prometheus text exposition, for comparing values once promtool has accepted its syntax: each
 * line's metric name, labels (unescaped) and value, and each family's {@code # TYPE}.
 */
final class ScrapedSamples {

    record Sample(String name, Map<String, String> labels, double value) {
    }

    final List<Sample> samples = new ArrayList<>();
    final Map<String, String> types = new TreeMap<>();

    ScrapedSamples(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                samples.add(sample(line));
            }
        }
    }

    /** The samples of one name whose labels include all of {@code labels}. */
    List<Sample> find(String name, Map<String, String> labels) {
        List<Sample> found = new ArrayList<>();
        for (Sample sample : samples) {
            if (sample.name().equals(name) && sample.labels().entrySet().containsAll(labels.entrySet())) {
                found.add(sample);
            }
        }
        return found;
    }

    /** The one sample of that name and labels; an assertion error when there is none or more than one. */
    double value(String name, Map<String, String> labels) {
        List<Sample> found = find(name, labels);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples of " + name + labels + ": " + found);
        }
        return found.get(0).value();
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int rest;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int equals = line.indexOf('=', i);
                String label = line.substring(i, equals);
                StringBuilder value = new StringBuilder();
                int j = equals + 2; // past ="
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char escaped = line.charAt(++j);
                        value.append(escaped == 'n' ? '\n' : escaped);
                    } else {
                        value.append(c);
                    }
                    j++;
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            rest = i + 1;
        } else {
            name = line.substring(0, space);
            rest = space;
        }
        String[] valueAndTime = line.substring(rest).trim().split(" ");
        String value = valueAndTime[0];
        return new Sample(name, labels, value.equals("+Inf") ? Double.POSITIVE_INFINITY
                : value.equals("-Inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(value));
    }
}
