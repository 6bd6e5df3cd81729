package org.sluice.api.monitor;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.Lifecycle;

/**
 * Reports the agent's counters somewhere (an HTTP endpoint, a metrics system), as Flume's MonitorService does:
 * started once the agent's components run, stopped when the agent stops or the plugin providing it goes away. It
 * reads the counters through its {@link MonitorContext} whenever it reports.
 */
@ConsumerType
public interface MonitorService extends Lifecycle {
}
