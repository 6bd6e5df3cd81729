package org.sluice.api.counter;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The counters of one component, kept by the platform and published as a JMX MBean
 * ({@code org.apache.flume.<TYPE>:type=<name>}) and in the HTTP reporter's JSON, under Flume's names.
 * Components add counters of their own with {@link #add(String, long)} and {@link #set(String, long)}.
 */
@ProviderType
public interface ComponentCounter {

    /** Adds to a named counter, creating it at zero. Returns the new value. */
    long add(String name, long delta);

    /** Sets a named gauge. */
    void set(String name, long value);

    long get(String name);

    /** Every counter and gauge by Flume's name, including StartTime and StopTime. */
    Map<String, Long> snapshot();
}
