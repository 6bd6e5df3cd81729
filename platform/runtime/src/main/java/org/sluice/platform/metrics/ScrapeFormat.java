package org.sluice.platform.metrics;

import java.util.Locale;

/**
 * The formats {@code /metrics} answers in, and which one a request's {@code Accept} header asks for.
 *
 * <p>Flume's JSON stays the answer to a plain request: no {@code Accept}, {@code *}{@code /*} (curl), a browser's
 * {@code text/html,...}, {@code application/json}. A scraper that names a Prometheus format gets it:
 * {@code application/openmetrics-text} is OpenMetrics, {@code text/plain} (Prometheus sends
 * {@code text/plain;version=0.0.4}) is the Prometheus text format. When several are acceptable the highest
 * {@code q} wins, and among equals the one the client listed first; a wildcard range counts for JSON only, at its
 * own {@code q}. So what Prometheus 2 and 3 send, {@code application/openmetrics-text;version=1.0.0,...,
 * text/plain;version=0.0.4;q=0.5,*}{@code /*;q=0.1}, gets OpenMetrics, and a client that prefers JSON at a higher
 * {@code q} gets JSON.
 */
public enum ScrapeFormat {
    /** Flume's JSON, {@code application/json}. */
    JSON,
    /** The Prometheus text format 0.0.4, {@code text/plain; version=0.0.4}. */
    PROMETHEUS_TEXT,
    /** OpenMetrics 1.0, {@code application/openmetrics-text; version=1.0.0}. */
    OPENMETRICS;

    /** The format for a request to {@code /metrics} with this {@code Accept} header (null when absent). */
    public static ScrapeFormat negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return JSON;
        }
        ScrapeFormat best = JSON;
        double bestQ = -1;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = quality(parts);
            ScrapeFormat format = switch (type) {
                case "application/openmetrics-text" -> OPENMETRICS;
                case "text/plain" -> PROMETHEUS_TEXT;
                case "application/json", "application/*", "*/*" -> JSON;
                default -> null;
            };
            // Strictly greater: among equal q the range listed first wins.
            if (format != null && q > 0 && q > bestQ) {
                best = format;
                bestQ = q;
            }
        }
        return best;
    }

    /** A range's {@code q} parameter, 1 when absent, 0 (not acceptable) when it is not a number. */
    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.length() > 2 && (parameter.charAt(0) == 'q' || parameter.charAt(0) == 'Q')
                    && parameter.charAt(1) == '=') {
                try {
                    return Double.parseDouble(parameter.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
