package org.sluice.api.counter;

import org.osgi.annotation.versioning.ProviderType;

/** A sink's counters, named as Flume's SinkCounter names them. */
@ProviderType
public interface SinkCounter extends ComponentCounter {

    String CONNECTION_CREATED = "ConnectionCreatedCount";
    String CONNECTION_CLOSED = "ConnectionClosedCount";
    String CONNECTION_FAILED = "ConnectionFailedCount";
    String BATCH_EMPTY = "BatchEmptyCount";
    String BATCH_UNDERFLOW = "BatchUnderflowCount";
    String BATCH_COMPLETE = "BatchCompleteCount";
    String EVENT_DRAIN_ATTEMPT = "EventDrainAttemptCount";
    String EVENT_DRAIN_SUCCESS = "EventDrainSuccessCount";
    String EVENT_WRITE_FAIL = "EventWriteFail";
    String CHANNEL_READ_FAIL = "ChannelReadFail";

    default void incrementConnectionCreatedCount() {
        add(CONNECTION_CREATED, 1);
    }

    default void incrementConnectionClosedCount() {
        add(CONNECTION_CLOSED, 1);
    }

    default void incrementConnectionFailedCount() {
        add(CONNECTION_FAILED, 1);
    }

    default void incrementBatchEmptyCount() {
        add(BATCH_EMPTY, 1);
    }

    default void incrementBatchUnderflowCount() {
        add(BATCH_UNDERFLOW, 1);
    }

    default void incrementBatchCompleteCount() {
        add(BATCH_COMPLETE, 1);
    }

    default void addToEventDrainAttemptCount(long delta) {
        add(EVENT_DRAIN_ATTEMPT, delta);
    }

    default void addToEventDrainSuccessCount(long delta) {
        add(EVENT_DRAIN_SUCCESS, delta);
    }

    default void incrementEventWriteFail() {
        add(EVENT_WRITE_FAIL, 1);
    }

    default void incrementChannelReadFail() {
        add(CHANNEL_READ_FAIL, 1);
    }

    /**
     * Flume's batch accounting after a take loop: empty, underflow (fewer than batchSize) or complete.
     */
    default void countBatch(int taken, int batchSize) {
        if (taken == 0) {
            incrementBatchEmptyCount();
        } else if (taken < batchSize) {
            incrementBatchUnderflowCount();
        } else {
            incrementBatchCompleteCount();
        }
    }
}
