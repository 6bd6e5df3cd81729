package org.sluice.platform.config;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
 * Turns the Flume properties file the agent was started with ({@code sluice.conf.file}, agent
 * {@code sluice.agent.name}) into Config Admin configurations, at start and whenever the file changes
 * (read every {@code sluice.conf.poll.interval} seconds, unless {@code sluice.conf.reload=false}), and
 * publishes {@link ConfigFileBridge} for the shell's reload command.
 *
 * <p>At start it reconciles with what Config Admin kept from the previous run: unchanged components are not
 * touched, so a restart does not restart them twice. Without a file it removes what earlier runs made from
 * one, since the file no longer defines the agent. In {@code sluice.mode=validate} it does nothing.
 */
@Component(immediate = true, service = {})
public final class PropertiesFileBridge {

    private static final Logger LOG = LoggerFactory.getLogger(PropertiesFileBridge.class);

    @Reference
    private ConfigurationAdmin configurationAdmin;
    private ScheduledExecutorService poller;
    private ServiceRegistration<ConfigFileBridge> registration;

    @Activate
    void activate(BundleContext context) {
        LaunchSettings settings = LaunchSettings.read(context::getProperty);
        settings.warnings().forEach(LOG::warn);
        if (settings.validateOnly() || LaunchSettings.testMode(context::getProperty)) {
            return;
        }
        poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sluice-conf-file");
            thread.setDaemon(true);
            return thread;
        });
        if (settings.file() == null || settings.agent() == null) {
            if (settings.file() != null || settings.agent() != null) {
                LOG.error("{} and {} go together (Flume's --conf-file and --name); no agent is read from a file",
                        LaunchSettings.CONF_FILE, LaunchSettings.AGENT_NAME);
            }
            poller.execute(this::removeFileConfigurations);
            return;
        }
        ConfigFileSync sync = new ConfigFileSync(settings.file(), settings.agent(),
                FlumeConfigParser.forEnvironment(Environment.withProperties(context::getProperty)), configurationAdmin);
        poller.execute(() -> applyIfChanged(sync));
        if (settings.reload()) {
            poller.scheduleWithFixedDelay(() -> applyIfChanged(sync), settings.pollIntervalSeconds(),
                    settings.pollIntervalSeconds(), TimeUnit.SECONDS);
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(ConfigSchema.AGENT, settings.agent());
        properties.put(ConfigSchema.ORIGIN, sync.file().toString());
        properties.put(Constants.SERVICE_DESCRIPTION, "Sluice properties file bridge for agent " + settings.agent());
        registration = context.registerService(ConfigFileBridge.class, sync, properties);
        LOG.info("agent {} is read from {}{}", settings.agent(), sync.file(), settings.reload()
                ? ", checked for changes every " + settings.pollIntervalSeconds() + " s" : "");
    }

    @Deactivate
    void deactivate() {
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

    private static void applyIfChanged(ConfigFileSync sync) {
        try {
            sync.reloadIfChanged();
        } catch (RuntimeException e) {
            // Caught so the next poll still runs; nothing is lost, the file is read again then.
            LOG.error("reading {} for agent {} failed; retried at the next change", sync.file(), sync.agent(), e);
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
