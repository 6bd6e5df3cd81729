package org.sluice.platform.config;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import javax.net.ssl.SSLContext;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the Flume configuration the agent was started with (files and URIs, {@link LaunchSettings}) into Config
 * Admin configurations, at start and whenever it changes (read every {@code sluice.conf.poll.interval} seconds,
 * by default Flume's 30, or 300 when a part is read over HTTP; unless {@code sluice.conf.reload=false}), and
 * publishes {@link ConfigFileBridge} for the shell's reload command and the launcher's SIGHUP. With ZooKeeper
 * ({@code -z}) the text comes from the source another bundle publishes instead ({@link PublishedSourceBridge}).
 *
 * <p>At start it reconciles with what Config Admin kept from the previous run: unchanged components are not
 * touched, so a restart does not restart them twice. Without a configuration it removes what earlier runs made
 * from one, since none defines the agent any more. In a one-off command's framework ({@code sluice.mode=validate},
 * {@code avro-client}) it does nothing.
 */
@Component(immediate = true, service = {})
public final class PropertiesFileBridge {

    private static final Logger LOG = LoggerFactory.getLogger(PropertiesFileBridge.class);

    @Reference
    private ConfigurationAdmin configurationAdmin;
    private ScheduledExecutorService poller;
    private ServiceRegistration<ConfigFileBridge> registration;
    private PublishedSourceBridge published;

    @Activate
    void activate(BundleContext context) {
        LaunchSettings settings = LaunchSettings.read(context::getProperty);
        settings.warnings().forEach(LOG::warn);
        if (!settings.runsAgents()) {
            return;
        }
        poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sluice-conf-file");
            thread.setDaemon(true);
            return thread;
        });
        if (!settings.hasConfiguration()) {
            if (!settings.sources().isEmpty() || settings.agent() != null) {
                LOG.error("{} and {} go together (Flume's --conf-file or --conf-uri, and --name); no agent is read",
                        LaunchSettings.CONF_SOURCES, LaunchSettings.AGENT_NAME);
            }
            poller.execute(this::removeFileConfigurations);
            return;
        }
        FlumeConfigParser parser = FlumeConfigParser.forEnvironment(Environment.withProperties(context::getProperty));
        if (settings.fromZooKeeper()) {
            // As in Flume, -z wins over files and URIs; the source is published by org.sluice.config.zookeeper.
            if (!settings.sources().isEmpty()) {
                LOG.warn("agent {} is read from ZooKeeper (-z); {} is not read", settings.agent(), settings.sources());
            }
            published = new PublishedSourceBridge(context, settings, parser, configurationAdmin, poller);
            published.open();
            return;
        }
        ConfigSources sources;
        try {
            sources = sources(settings, context::getProperty);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            LOG.error("agent {}: {}; nothing is read", settings.agent(), e.getMessage());
            return;
        }
        ConfigFileSync sync = new ConfigFileSync(sources, settings.agent(), parser, configurationAdmin);
        poller.execute(() -> applyIfChanged(sync));
        long interval = settings.effectivePollIntervalSeconds(sources.overHttp());
        // Without reloading, the configuration is still read again until it could be applied once: a server that
        // is down when the agent starts must not leave it empty for good.
        poller.scheduleWithFixedDelay(() -> {
            if (settings.reload() || !sync.applied()) {
                applyIfChanged(sync);
            }
        }, interval, interval, TimeUnit.SECONDS);
        registration = register(context, sync);
        LOG.info("agent {} is read from {}{}", settings.agent(), sync.origin(), settings.reload()
                ? ", checked for changes every " + interval + " s" : "");
    }

    /**
     * The sources the settings name; HTTPS ones with the agent's TLS settings.
     *
     * @param properties the framework's properties (which include the JVM's)
     */
    static ConfigSources sources(LaunchSettings settings, UnaryOperator<String> properties)
            throws GeneralSecurityException {
        boolean https = settings.sources().stream().anyMatch(location -> location.regionMatches(true, 0, "https:", 0, 6));
        if (!https) {
            return ConfigSources.of(settings, null, null);
        }
        SSLContext context = ConfigTls.context();
        return ConfigSources.of(settings, context, ConfigTls.parameters(context, properties, System::getenv));
    }

    /** Publishes the bridge for the shell's reload and validate commands and the launcher's SIGHUP. */
    static ServiceRegistration<ConfigFileBridge> register(BundleContext context, ConfigFileSync sync) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(ConfigSchema.AGENT, sync.agent());
        properties.put(ConfigSchema.ORIGIN, sync.origin());
        properties.put(Constants.SERVICE_DESCRIPTION, "Sluice configuration bridge for agent " + sync.agent());
        return context.registerService(ConfigFileBridge.class, sync, properties);
    }

    /**
     * The texts of the settings' sources, read once with no fallback to a backup: for the one-off commands outside
     * this package ({@code sluice test}).
     */
    public static List<ConfigText> readOnce(LaunchSettings settings, UnaryOperator<String> properties)
            throws IOException, GeneralSecurityException {
        return sources(settings, properties).read(false).texts();
    }

    @Deactivate
    void deactivate() {
        if (published != null) {
            published.close();
            published = null;
        }
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (poller != null) {
            poller.shutdownNow();
            try {
                if (!poller.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("the properties file bridge did not finish its current update within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            poller = null;
        }
    }

    static void applyIfChanged(ConfigFileSync sync) {
        try {
            sync.reloadIfChanged();
        } catch (RuntimeException e) {
            // Caught so the next poll still runs; nothing is lost, the file is read again then.
            LOG.error("reading {} for agent {} failed; retried at the next change", sync.origin(), sync.agent(), e);
        }
    }

    private void removeFileConfigurations() {
        try {
            List<String> removed = new ConfigAdminSync(configurationAdmin).removeAllExcept(Set.of());
            if (!removed.isEmpty()) {
                LOG.info("no properties file is configured; removed what an earlier run made from one: {}", removed);
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.error("could not remove the configurations an earlier run made from a properties file", e);
        }
    }
}
