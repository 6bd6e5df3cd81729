package org.sluice.platform.config;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.platform.config.source.AgentConfigurationSource;

/**
 * The bridge of an agent whose configuration another bundle publishes (ZooKeeper, {@code -z}): it follows the
 * {@link AgentConfigurationSource} of the agent and applies its text through the same {@link ConfigFileSync} as a
 * file's, so a change restarts only the components it touches, and a configuration that cannot be read leaves
 * what runs as it is. It reads at once when the source appears, and again whenever the source signals a change
 * (not on a timer: the source watches its store). With {@code --no-reload-conf} signals are followed only until
 * a configuration could be applied once; {@code sluice:reload} and SIGHUP read it all the same.
 */
final class PublishedSourceBridge implements ServiceTrackerCustomizer<AgentConfigurationSource,
        PublishedSourceBridge.Followed> {

    private static final Logger LOG = LoggerFactory.getLogger(PublishedSourceBridge.class);
    /** How long the source may take to appear before the log says that it has not. */
    static final long SOURCE_WAIT_SECONDS = 30;

    private final BundleContext context;
    private final LaunchSettings settings;
    private final FlumeConfigParser parser;
    private final ConfigurationAdmin configurationAdmin;
    private final ScheduledExecutorService poller;
    private ServiceTracker<AgentConfigurationSource, Followed> tracker;

    /** What is kept while one source is followed. */
    record Followed(AgentConfigurationSource source, ConfigFileSync sync, Closeable watch,
            ServiceRegistration<ConfigFileBridge> registration) {
    }

    PublishedSourceBridge(BundleContext context, LaunchSettings settings, FlumeConfigParser parser,
            ConfigurationAdmin configurationAdmin, ScheduledExecutorService poller) {
        this.context = context;
        this.settings = settings;
        this.parser = parser;
        this.configurationAdmin = configurationAdmin;
        this.poller = poller;
    }

    void open() {
        Filter filter;
        try {
            filter = context.createFilter("(&(" + Constants.OBJECTCLASS + "=" + AgentConfigurationSource.class.getName()
                    + ")(" + AgentConfigurationSource.AGENT + "=" + escaped(settings.agent()) + "))");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("the agent's name is escaped, so the filter is valid", e);
        }
        tracker = new ServiceTracker<>(context, filter, this);
        tracker.open();
        LOG.info("agent {} is read from ZooKeeper ({}), as soon as its configuration source is there",
                settings.agent(), settings.zooKeeper());
        poller.schedule(() -> {
            if (tracker != null && tracker.isEmpty()) {
                LOG.error("agent {}: no configuration source for ZooKeeper {} after {} s, and nothing runs: is the "
                        + "org.sluice.config.zookeeper bundle in bundle/, and did it start? (see the lines above)",
                        settings.agent(), settings.zooKeeper(), SOURCE_WAIT_SECONDS);
            }
        }, SOURCE_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    void close() {
        if (tracker != null) {
            tracker.close();
            tracker = null;
        }
    }

    @Override
    public Followed addingService(ServiceReference<AgentConfigurationSource> reference) {
        AgentConfigurationSource source = context.getService(reference);
        if (source == null) {
            return null;
        }
        ConfigFileSync sync = new ConfigFileSync(new ConfigSources(List.of(new PublishedConfigSource(source)),
                ConfigSources.backupFile(settings)), settings.agent(), parser, configurationAdmin);
        Closeable watch = source.watch(() -> {
            try {
                poller.execute(() -> {
                    if (settings.reload() || !sync.applied()) {
                        PropertiesFileBridge.applyIfChanged(sync);
                    }
                });
            } catch (RejectedExecutionException stopping) {
                // The bridge is stopping: nothing more is applied.
            }
        });
        poller.execute(() -> PropertiesFileBridge.applyIfChanged(sync));
        ServiceRegistration<ConfigFileBridge> registration = PropertiesFileBridge.register(context, sync);
        LOG.info("agent {} follows {}", settings.agent(), source.location());
        return new Followed(source, sync, watch, registration);
    }

    @Override
    public void modifiedService(ServiceReference<AgentConfigurationSource> reference, Followed followed) {
        // Nothing of the service's properties matters beyond the agent, which the filter checks.
    }

    @Override
    public void removedService(ServiceReference<AgentConfigurationSource> reference, Followed followed) {
        try {
            followed.watch().close();
        } catch (IOException e) {
            LOG.warn("could not stop watching {}", followed.source().location(), e);
        }
        followed.registration().unregister();
        context.ungetService(reference);
        // What runs keeps running: the source went (its bundle stopped), the configuration did not change.
        LOG.warn("agent {}: {} is no longer followed; the running configuration is kept", settings.agent(),
                followed.source().location());
    }

    /** An LDAP filter value: {@code \ * ( )} escaped. */
    private static String escaped(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
