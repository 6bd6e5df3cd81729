package org.sluice.itests.osgi.support;

import java.lang.management.ManagementFactory;

import javax.management.JMException;
import javax.management.ObjectName;

/**
 * A component's counters as Flume publishes them and monitoring reads them: JMX MBeans named
 * {@code org.apache.flume.<type>:type=<name>}, the type in lower case as Flume 1.11 writes it
 * ({@code org.apache.flume.channel:type=c1}).
 */
public final class FlumeCounters {

    private FlumeCounters() {
    }

    public static long channel(String channel, String counter) {
        return read("channel", channel, counter);
    }

    public static long sink(String sink, String counter) {
        return read("sink", sink, counter);
    }

    public static long source(String source, String counter) {
        return read("source", source, counter);
    }

    private static long read(String type, String name, String counter) {
        String objectName = "org.apache.flume." + type + ":type=" + name;
        try {
            Object value = ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName(objectName), counter);
            if (value instanceof Number) {
                return ((Number) value).longValue();
            }
            return Long.parseLong(String.valueOf(value));
        } catch (JMException e) {
            throw new AssertionError("Cannot read counter " + counter + " of MBean " + objectName, e);
        }
    }
}
