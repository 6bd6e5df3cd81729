/**
 * Where an agent's configuration is kept when it is not a file or URI the platform reads itself: a kernel-side
 * bundle (org.sluice.config.zookeeper for Flume's {@code -z}) publishes an
 * {@link org.sluice.platform.config.source.AgentConfigurationSource}, and the platform's configuration bridge
 * reads, validates and applies its text exactly as it does a properties file, so a change restarts only the
 * components it touches. Exported so that such bundles stay out of the platform's private packages.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.sluice.platform.config.source;
