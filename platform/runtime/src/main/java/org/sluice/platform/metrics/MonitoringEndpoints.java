package org.sluice.platform.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import javax.management.MBeanServer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the monitoring port answers to a {@code GET} or {@code HEAD}, by path (in any case, the query ignored, as
 * Flume matches {@code /metrics}):
 *
 * <ul>
 * <li>{@code /metrics}: Flume's JSON ({@link FlumeJmxPoll}), or the Prometheus text format or OpenMetrics when
 * the {@code Accept} header asks for one ({@link ScrapeFormat#negotiate}).</li>
 * <li>{@code /metrics/prometheus}: always the Prometheus text format, for scrapers that cannot send headers.</li>
 * <li>{@code /health} and {@code /ready}: 200 or 503, with the reasons in plain text ({@link Probes}).</li>
 * <li>{@code /}: the page with a link to {@code ./metrics} that Flume shows.</li>
 * <li>Anything else: 404.</li>
 * </ul>
 */
final class MonitoringEndpoints implements MetricsHttpServer.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(MonitoringEndpoints.class);

    static final String JSON = "application/json;charset=utf-8";
    static final String HTML = "text/html;charset=utf-8";
    static final String TEXT = "text/plain;charset=utf-8";
    private static final String INDEX = "For Flume metrics please click <a href = \"./metrics\"> here</a>.";

    private final MBeanServer mbeans;
    private final PrometheusExposition prometheus;
    private final Probes probes;

    MonitoringEndpoints(MBeanServer mbeans, PrometheusExposition prometheus, Probes probes) {
        this.mbeans = mbeans;
        this.prometheus = prometheus;
        this.probes = probes;
    }

    @Override
    public MetricsHttpServer.Answer answer(String path, String accept) {
        switch (path.toLowerCase(Locale.ROOT)) {
            case "/":
                return MetricsHttpServer.Answer.of(200, HTML, INDEX);
            case "/metrics": {
                ScrapeFormat format = ScrapeFormat.negotiate(accept);
                return format == ScrapeFormat.JSON ? json() : prometheus(format);
            }
            case "/metrics/prometheus":
                return prometheus(ScrapeFormat.PROMETHEUS_TEXT);
            case "/health":
                return verdict(probes.health());
            case "/ready":
                return verdict(probes.readiness());
            default:
                return MetricsHttpServer.Answer.of(404, TEXT,
                        "Not found; the metrics are at /metrics and /metrics/prometheus, the probes at /health and "
                                + "/ready\n");
        }
    }

    private MetricsHttpServer.Answer json() {
        try {
            return new MetricsHttpServer.Answer(200, JSON, Json.objectOfObjects(FlumeJmxPoll.poll(mbeans)));
        } catch (RuntimeException e) {
            LOG.error("Polling the MBeans for /metrics failed", e);
            return MetricsHttpServer.Answer.of(500, TEXT, "The metrics cannot be read now: " + e + "\n");
        }
    }

    private MetricsHttpServer.Answer prometheus(ScrapeFormat format) {
        try {
            return new MetricsHttpServer.Answer(200, prometheus.contentType(format), prometheus.scrape(format));
        } catch (RuntimeException e) {
            LOG.error("Collecting the metrics for a Prometheus scrape failed", e);
            return MetricsHttpServer.Answer.of(500, TEXT, "The metrics cannot be read now: " + e + "\n");
        }
    }

    private static MetricsHttpServer.Answer verdict(Probes.Verdict verdict) {
        return new MetricsHttpServer.Answer(verdict.ok() ? 200 : 503, TEXT,
                verdict.text().getBytes(StandardCharsets.UTF_8));
    }
}
