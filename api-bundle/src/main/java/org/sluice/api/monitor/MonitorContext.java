package org.sluice.api.monitor;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;
import org.sluice.api.component.ConfigurationException;

/** What the platform gives a monitor service: its settings and the agent's counters. */
@ProviderType
public interface MonitorContext {

    /**
     * The settings: every {@code flume.monitoring.*} system property without the {@code flume.monitoring.} prefix,
     * as Flume passes them ({@code type}, {@code port}, {@code hosts}, {@code pollFrequency}, ...). Unmodifiable.
     */
    Map<String, String> properties();

    /**
     * The counters of every source, channel and sink now, as Flume's JMX poll gives them to its monitor services:
     * by {@code TYPE.name} ({@code SOURCE.r1}, {@code CHANNEL.c1}), each its attributes by Flume's names
     * ({@code EventReceivedCount}, {@code ChannelSize}, ..., and {@code Type}) with their values as text.
     */
    Map<String, Map<String, String>> counters();

    /** A configuration error naming the {@code flume.monitoring.} key. */
    ConfigurationException configurationError(String key, String message);
}
