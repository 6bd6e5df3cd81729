package org.sluice.kafka;

import java.util.Map;

import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;

/**
 * Flume's {@code defaultPartitionId} and {@code partitionIdHeader}: an event goes to the partition its header names,
 * else to the default partition, else the producer's partitioner chooses (by key when the event has a {@code key}
 * header).
 */
public final class PartitionChoice {
    private final Integer defaultPartition;
    private final String header;

    private PartitionChoice(Integer defaultPartition, String header) {
        this.defaultPartition = defaultPartition;
        this.header = header;
    }

    /** An invalid partition for an event: not a number, or not one of the topic's partitions. */
    public static final class InvalidPartition extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidPartition(String message) {
            super(message);
        }
    }

    public static PartitionChoice of(ComponentContext context, String defaultPartitionId, String partitionIdHeader)
            throws ConfigurationException {
        Integer partition = null;
        if (!defaultPartitionId.isBlank()) {
            try {
                partition = Integer.valueOf(defaultPartitionId.trim());
            } catch (NumberFormatException e) {
                throw context.configurationError("defaultPartitionId", "'" + defaultPartitionId
                        + "' is not a partition number");
            }
            if (partition < 0) {
                throw context.configurationError("defaultPartitionId", "must be 0 or more, was " + partition);
            }
        }
        return new PartitionChoice(partition, partitionIdHeader.isBlank() ? null : partitionIdHeader.trim());
    }

    /** The partition for an event, or null for the producer's choice. */
    public Integer partitionFor(Map<String, String> headers) throws InvalidPartition {
        if (header != null) {
            String value = headers.get(header);
            if (value != null) {
                try {
                    int partition = Integer.parseInt(value.trim());
                    if (partition >= 0) {
                        return partition;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new InvalidPartition("header '" + header + "' (partitionIdHeader) is '" + value
                        + "', not a partition number");
            }
        }
        return defaultPartition;
    }

    /** Checks a chosen partition against the topic's partition count. */
    public void check(int partition, String topic, int partitions) throws InvalidPartition {
        if (partition >= partitions) {
            throw new InvalidPartition("partition " + partition + " (" + (header != null ? "partitionIdHeader '"
                    + header + "' or " : "") + "defaultPartitionId) is not a partition of topic '" + topic
                    + "', which has " + partitions);
        }
    }
}
