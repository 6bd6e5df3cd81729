package org.sluice.api.counter;

import org.osgi.annotation.versioning.ProviderType;

/** A source's counters, named as Flume's SourceCounter names them. */
@ProviderType
public interface SourceCounter extends ComponentCounter {

    String EVENT_RECEIVED = "EventReceivedCount";
    String EVENT_ACCEPTED = "EventAcceptedCount";
    String APPEND_RECEIVED = "AppendReceivedCount";
    String APPEND_ACCEPTED = "AppendAcceptedCount";
    String APPEND_BATCH_RECEIVED = "AppendBatchReceivedCount";
    String APPEND_BATCH_ACCEPTED = "AppendBatchAcceptedCount";
    String OPEN_CONNECTIONS = "OpenConnectionCount";
    String CHANNEL_WRITE_FAIL = "ChannelWriteFail";
    String EVENT_READ_FAIL = "EventReadFail";
    String GENERIC_PROCESSING_FAIL = "GenericProcessingFail";

    default void addToEventReceivedCount(long delta) {
        add(EVENT_RECEIVED, delta);
    }

    default void addToEventAcceptedCount(long delta) {
        add(EVENT_ACCEPTED, delta);
    }

    default void incrementAppendReceivedCount() {
        add(APPEND_RECEIVED, 1);
    }

    default void incrementAppendAcceptedCount() {
        add(APPEND_ACCEPTED, 1);
    }

    default void incrementAppendBatchReceivedCount() {
        add(APPEND_BATCH_RECEIVED, 1);
    }

    default void incrementAppendBatchAcceptedCount() {
        add(APPEND_BATCH_ACCEPTED, 1);
    }

    default void setOpenConnectionCount(long open) {
        set(OPEN_CONNECTIONS, open);
    }

    default void incrementChannelWriteFail() {
        add(CHANNEL_WRITE_FAIL, 1);
    }

    default void incrementEventReadFail() {
        add(EVENT_READ_FAIL, 1);
    }

    default void incrementGenericProcessingFail() {
        add(GENERIC_PROCESSING_FAIL, 1);
    }
}
