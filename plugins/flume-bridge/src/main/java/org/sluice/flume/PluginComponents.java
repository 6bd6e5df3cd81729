package org.sluice.flume;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Flume components a plugin bundle provides, as its manifest lists them in the header {@value #HEADER}:
 * {@code com.example.MySink;kind=sink, com.example.Tag$Builder;kind=interceptor}. The bundle maker writes it from a
 * scan of the plugin's classes ({@link ComponentScanner}); a bundle built by hand may carry it too.
 */
record PluginComponents(Map<String, FlumeKind> classes) {
    static final String HEADER = "Sluice-Flume-Components";

    static PluginComponents parse(String header) {
        Map<String, FlumeKind> classes = new LinkedHashMap<>();
        if (header != null) {
            for (String clause : header.split(",")) {
                String[] parts = clause.trim().split(";");
                if (parts[0].isBlank()) {
                    continue;
                }
                FlumeKind kind = null;
                for (int i = 1; i < parts.length; i++) {
                    String[] attribute = parts[i].trim().split("=", 2);
                    if (attribute.length == 2 && attribute[0].trim().equals("kind")) {
                        kind = FlumeKind.ofWord(attribute[1].trim().replace("\"", ""));
                    }
                }
                if (kind == null) {
                    throw new IllegalArgumentException(HEADER + ": no kind for " + parts[0].trim());
                }
                classes.put(parts[0].trim(), kind);
            }
        }
        return new PluginComponents(classes);
    }

    String header() {
        List<String> clauses = new ArrayList<>();
        classes.forEach((name, kind) -> clauses.add(name + ";kind=" + kind.word()));
        return String.join(",", clauses);
    }

    boolean isEmpty() {
        return classes.isEmpty();
    }
}
