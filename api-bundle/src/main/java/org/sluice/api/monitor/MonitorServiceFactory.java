package org.sluice.api.monitor;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.ConfigurationException;

/**
 * Makes the monitor service of one type. Plugins register it as an OSGi service with the service property
 * {@link org.sluice.api.component.ComponentFactory#TYPE} listing the type names (see
 * {@link org.sluice.api.component.SluiceType}); the platform starts the one whose name {@code flume.monitoring.type}
 * gives, matching a short alias in any case and a class name exactly, as Flume does. While no bundle provides the
 * type, monitoring waits for one.
 */
@ConsumerType
public interface MonitorServiceFactory {

    /** Creates the service, not started; a bad setting throws {@link ConfigurationException} naming the key. */
    MonitorService create(MonitorContext context) throws ConfigurationException;
}
