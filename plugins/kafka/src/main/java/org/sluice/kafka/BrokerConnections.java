package org.sluice.kafka;

import java.util.Map;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Whether a client holds a connection to any broker, from its own {@code connection-count} metric: what tells
 * "the brokers are unreachable" from "the topic does not exist" when a request times out.
 */
public final class BrokerConnections {
    private BrokerConnections() {
    }

    /** The client's open broker connections, or -1 if it does not report them. */
    public static long count(Map<MetricName, ? extends Metric> metrics) {
        for (Map.Entry<MetricName, ? extends Metric> metric : metrics.entrySet()) {
            MetricName name = metric.getKey();
            if (name.name().equals("connection-count") && (name.group().equals("producer-metrics")
                    || name.group().equals("consumer-metrics"))) {
                Object value = metric.getValue().metricValue();
                return value instanceof Number ? ((Number) value).longValue() : -1;
            }
        }
        return -1;
    }
}
