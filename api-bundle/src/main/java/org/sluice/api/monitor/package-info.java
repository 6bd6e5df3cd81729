/**
 * Monitoring: services that report the agent's counters elsewhere (Flume's {@code flume.monitoring.type}), found in
 * the service registry by type name like every other component. Sluice's own {@code http} type serves Flume's JSON;
 * a plugin registers a {@link org.sluice.api.monitor.MonitorServiceFactory} for a type of its own.
 *
 * <p>1.0.0: the package.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.sluice.api.monitor;
