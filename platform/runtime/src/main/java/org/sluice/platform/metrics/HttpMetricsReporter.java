package org.sluice.platform.metrics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.management.MBeanServer;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.platform.management.AgentRuntime;

/**
 * Starts the monitoring port ({@link MetricsHttpServer} with {@link MonitoringEndpoints}) when
 * {@code flume.monitoring.type=http} is a framework or system property ({@link MonitoringSettings}), and stops it
 * with the bundle: Flume's JSON from the platform MBean server under Flume's domains, as Flume does, the Prometheus
 * formats from the counters and the runtime's statuses, and the probes.
 *
 * <p>When the port cannot be bound, activation fails with the address in the message: the agents keep running,
 * the reporter does not pretend to. The agent runtime is an optional, dynamic reference: the port answers while
 * the runtime is not there yet, or no more, and {@code /health} and {@code /ready} say so.
 */
@Component(immediate = true, service = {})
public final class HttpMetricsReporter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpMetricsReporter.class);

    private final MetricsHttpServer server;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AgentRuntime runtime;

    @Activate
    public HttpMetricsReporter(BundleContext context, @Reference Metrics metrics) throws IOException {
        // BundleContext.getProperty falls back to system properties: -Dflume.monitoring.type=http works too.
        this(context::getProperty, ManagementFactory.getPlatformMBeanServer(), metrics, null);
    }

    /**
     * @param runtime the agents, for tests; null to use the DS reference
     */
    HttpMetricsReporter(Function<String, String> properties, MBeanServer mbeans, Metrics metrics,
            Supplier<AgentRuntime> runtime) throws IOException {
        Supplier<AgentRuntime> agents = runtime != null ? runtime : () -> this.runtime;
        MonitoringSettings settings = MonitoringSettings.read(properties);
        switch (settings.kind()) {
            case HTTP -> {
                try {
                    server = new MetricsHttpServer(settings.address(), new MonitoringEndpoints(mbeans,
                            new PrometheusExposition(metrics, agents), new Probes(agents)));
                } catch (IOException e) {
                    throw new IOException("Cannot start the HTTP metrics reporter on " + settings.address()
                            + " (" + MonitoringSettings.BIND + ", " + MonitoringSettings.PORT + "): " + e, e);
                }
                server.start();
                LOG.info("Metrics are served at http://{}:{}/metrics (Flume's JSON; Prometheus formats to a scraper, "
                        + "and at /metrics/prometheus), probes at /health and /ready{}",
                        settings.address().getHostString(), server.address().getPort(),
                        settings.address().getAddress() != null
                                && settings.address().getAddress().isAnyLocalAddress()
                                ? " (every address, as Flume does; -D" + MonitoringSettings.BIND
                                        + "=127.0.0.1 keeps them on this machine)" : "");
            }
            case UNSUPPORTED -> {
                server = null;
                LOG.warn("{}={} is not supported: only http is; the counters are in JMX", MonitoringSettings.TYPE,
                        settings.type());
            }
            default -> server = null;
        }
    }

    /** The running server, or null when the reporter is off. */
    MetricsHttpServer server() {
        return server;
    }

    @Deactivate
    void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
