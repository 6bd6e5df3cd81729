package org.sluice.platform.metrics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.function.Function;

import javax.management.MBeanServer;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Flume's HTTP JSON reporter ({@link MetricsHttpServer}) when {@code flume.monitoring.type=http} is
 * a framework or system property ({@link MonitoringSettings}), and stops it with the bundle.
 *
 * <p>It reports what is in the platform MBean server under Flume's domains, as Flume does. When the port
 * cannot be bound, activation fails with the address in the message: the agents keep running, the
 * reporter does not pretend to.
 */
@Component(immediate = true, service = {})
public final class HttpMetricsReporter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpMetricsReporter.class);

    private final MetricsHttpServer server;

    @Activate
    public HttpMetricsReporter(BundleContext context) throws IOException {
        // BundleContext.getProperty falls back to system properties: -Dflume.monitoring.type=http works too.
        this(context::getProperty, ManagementFactory.getPlatformMBeanServer());
    }

    HttpMetricsReporter(Function<String, String> properties, MBeanServer mbeans) throws IOException {
        MonitoringSettings settings = MonitoringSettings.read(properties);
        switch (settings.kind()) {
            case HTTP -> {
                try {
                    server = new MetricsHttpServer(settings.address(), mbeans);
                } catch (IOException e) {
                    throw new IOException("Cannot start the HTTP metrics reporter on " + settings.address()
                            + " (" + MonitoringSettings.BIND + ", " + MonitoringSettings.PORT + "): " + e, e);
                }
                server.start();
                LOG.info("Flume's JSON metrics are served at http://{}:{}/metrics{}", settings.address().getHostString(),
                        server.address().getPort(), settings.address().getAddress() != null
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
