package org.sluice.config.zookeeper;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.platform.config.source.AgentConfigurationSource;

/**
 * Publishes the agent's znode as its {@link AgentConfigurationSource} when the launcher was given {@code -z}
 * (framework property {@code sluice.conf.zookeeper}); does nothing otherwise. The platform's configuration bridge
 * picks the source up and applies what it reads.
 */
@Component(immediate = true, service = {})
public final class ZooKeeperSourceComponent {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperSourceComponent.class);
    /** Curator's defaults; framework properties change them (tests, or an ensemble that is slow to answer). */
    static final String SESSION_TIMEOUT = "sluice.conf.zookeeper.session.timeout";
    static final String CONNECTION_TIMEOUT = "sluice.conf.zookeeper.connection.timeout";

    private ZooKeeperConfigurationSource source;
    private ServiceRegistration<AgentConfigurationSource> registration;

    @Activate
    void activate(BundleContext context) {
        ZooKeeperSettings settings;
        try {
            settings = ZooKeeperSettings.read(context::getProperty);
        } catch (IllegalArgumentException e) {
            LOG.error("no configuration is read from ZooKeeper: {}", e.getMessage());
            return;
        }
        if (settings == null) {
            return;
        }
        source = new ZooKeeperConfigurationSource(settings, millis(context, SESSION_TIMEOUT, 60_000),
                millis(context, CONNECTION_TIMEOUT, 15_000));
        source.start();
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(AgentConfigurationSource.AGENT, settings.agent());
        properties.put(Constants.SERVICE_DESCRIPTION, "agent " + settings.agent() + " from " + settings.location());
        registration = context.registerService(AgentConfigurationSource.class, source, properties);
        LOG.info("agent {} is configured by znode {} of ZooKeeper {}", settings.agent(), settings.agentPath(),
                settings.connectString());
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (source != null) {
            source.close();
            source = null;
        }
    }

    private static int millis(BundleContext context, String property, int defaultMillis) {
        String value = context.getProperty(property);
        if (value == null || value.isBlank()) {
            return defaultMillis;
        }
        try {
            int millis = Integer.parseInt(value.trim());
            if (millis > 0) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.warn("{}='{}' is not a positive number of milliseconds; using {}", property, value, defaultMillis);
        return defaultMillis;
    }
}
