package org.sluice.platform.metrics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

import javax.management.MBeanServer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.monitor.MonitorContext;
import org.sluice.api.monitor.MonitorService;
import org.sluice.api.monitor.MonitorServiceFactory;
import org.sluice.platform.management.AgentRuntime;

/**
 * Sluice's own {@code http} monitoring type (Flume's HTTPMetricsServer, by alias or class name): the monitoring port
 * ({@link MetricsHttpServer} with {@link MonitoringEndpoints}): Flume's JSON of every component's counters at
 * {@code http://host:port/metrics}, from the platform MBean server under Flume's domains as Flume does, the
 * Prometheus formats from the counters and the runtime's statuses, and the probes {@code /health} and
 * {@code /ready}. Found in the service registry like a plugin's monitoring type. The agent runtime is an optional,
 * dynamic reference: the port answers while the runtime is not there yet, or no more, and the probes say so.
 *
 * <ul>
 * <li>{@code port}: default 41414, Flume's.</li>
 * <li>{@code bind}: the address to listen on. Flume has no such key and listens on every interface; so does
 * Sluice when it is not set ({@code 0.0.0.0}). Set it to {@code 127.0.0.1} to keep the counters on the
 * machine.</li>
 * </ul>
 */
@Component(service = MonitorServiceFactory.class)
@SluiceType({"http", HttpMonitorServiceFactory.FLUME_CLASS})
public final class HttpMonitorServiceFactory implements MonitorServiceFactory {
    static final String FLUME_CLASS = "org.apache.flume.instrumentation.http.HTTPMetricsServer";
    public static final int DEFAULT_PORT = 41414;
    public static final String ANY_ADDRESS = "0.0.0.0";
    private static final Logger LOG = LoggerFactory.getLogger(HttpMonitorServiceFactory.class);

    private final MBeanServer mbeans;
    private final Metrics metrics;
    private final Supplier<AgentRuntime> agents;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AgentRuntime runtime;

    @Activate
    public HttpMonitorServiceFactory(@Reference Metrics metrics) {
        this(ManagementFactory.getPlatformMBeanServer(), metrics, null);
    }

    /** @param runtime the agents, for tests; null to use the DS reference */
    HttpMonitorServiceFactory(MBeanServer mbeans, Metrics metrics, Supplier<AgentRuntime> runtime) {
        this.mbeans = mbeans;
        this.metrics = metrics;
        this.agents = runtime != null ? runtime : () -> this.runtime;
    }

    @Override
    public MonitorService create(MonitorContext context) throws ConfigurationException {
        String portText = context.properties().get("port");
        int port = DEFAULT_PORT;
        if (portText != null && !portText.isEmpty()) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) {
                throw context.configurationError("port", "'" + portText + "' is not a port number (0 to 65535)");
            }
        }
        String bind = context.properties().get("bind");
        InetSocketAddress address = new InetSocketAddress(bind == null || bind.isEmpty() ? ANY_ADDRESS : bind, port);
        return new HttpMonitorService(address, () -> new MonitoringEndpoints(mbeans,
                new PrometheusExposition(metrics, agents), new Probes(agents)));
    }

    /** The monitoring port, started and stopped with the monitoring. */
    static final class HttpMonitorService implements MonitorService {
        private final InetSocketAddress address;
        private final Supplier<MonitoringEndpoints> endpoints;
        private MetricsHttpServer server;

        HttpMonitorService(InetSocketAddress address, Supplier<MonitoringEndpoints> endpoints) {
            this.address = address;
            this.endpoints = endpoints;
        }

        @Override
        public synchronized void start() throws IOException {
            try {
                server = new MetricsHttpServer(address, endpoints.get());
            } catch (IOException e) {
                throw new IOException("cannot serve the counters on " + address + " (flume.monitoring.bind, "
                        + "flume.monitoring.port): " + e, e);
            }
            server.start();
            LOG.info("Metrics are served at http://{}:{}/metrics (Flume's JSON; Prometheus formats to a scraper, "
                    + "and at /metrics/prometheus), probes at /health and /ready{}", address.getHostString(),
                    server.address().getPort(), address.getAddress() != null
                            && address.getAddress().isAnyLocalAddress()
                            ? " (every address, as Flume does; -Dflume.monitoring.bind=127.0.0.1 keeps them on this"
                                    + " machine)" : "");
        }

        /** Where it listens; null when not started. */
        synchronized InetSocketAddress address() {
            return server == null ? null : server.address();
        }

        @Override
        public synchronized void stop() {
            if (server != null) {
                server.stop();
                server = null;
            }
        }

        @Override
        public String toString() {
            return "http monitoring on " + address;
        }
    }
}
