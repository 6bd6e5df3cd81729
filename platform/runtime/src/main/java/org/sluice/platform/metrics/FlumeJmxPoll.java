package org.sluice.platform.metrics;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.management.Attribute;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Flume's HTTP reporter reports: every attribute of every MBean whose name starts with
 * {@code org.apache.flume}, as strings, keyed {@code <Type>.<rest of the name after the first '='>}
 * ({@code SOURCE.r1}; {@code SOURCE.r1,agent=a2} for an agent-qualified name). Reading JMX rather than the
 * counters keeps the JSON and JConsole the same, as in Flume, including MBeans that plugins register under
 * Flume's domains themselves.
 */
final class FlumeJmxPoll {
    private static final Logger LOG = LoggerFactory.getLogger(FlumeJmxPoll.class);

    private static final ObjectName FLUME_DOMAINS;

    static {
        try {
            // Flume keeps names that start with org.apache.flume; the pattern selects exactly those domains.
            FLUME_DOMAINS = new ObjectName(FlumeMBeanNames.DOMAIN_PREFIX + "*:*");
        } catch (MalformedObjectNameException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private FlumeJmxPoll() {
    }

    /** Component key to attribute name to value, both sorted (Flume's order is a hash map's: none). */
    static Map<String, Map<String, String>> poll(MBeanServer server) {
        Map<String, Map<String, String>> components = new TreeMap<>();
        Set<ObjectName> names = server.queryNames(FLUME_DOMAINS, null);
        for (ObjectName name : names) {
            try {
                MBeanAttributeInfo[] infos = server.getMBeanInfo(name).getAttributes();
                String[] attributeNames = new String[infos.length];
                for (int i = 0; i < infos.length; i++) {
                    attributeNames[i] = infos[i].getName();
                }
                String text = name.toString();
                String component = text.substring(text.indexOf('=') + 1);
                Map<String, String> values = new TreeMap<>();
                for (Attribute attribute : server.getAttributes(name, attributeNames).asList()) {
                    Object value = attribute.getValue();
                    if (value == null) {
                        continue;
                    }
                    if (attribute.getName().equalsIgnoreCase(CountersDynamicMBean.TYPE)) {
                        component = value + "." + component;
                    }
                    values.put(attribute.getName(), value.toString());
                }
                components.put(component, values);
            } catch (InstanceNotFoundException e) {
                // Unregistered between the query and the read: the component is gone, so is its entry.
                LOG.debug("MBean {} went away while being polled", name);
            } catch (JMException e) {
                // One unreadable MBean must not hide the others; Flume skips it the same way.
                LOG.warn("Cannot read the MBean {} for the HTTP metrics", name, e);
            }
        }
        return components;
    }
}
