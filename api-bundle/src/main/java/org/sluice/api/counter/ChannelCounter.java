package org.sluice.api.counter;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A channel's counters, named as Flume's ChannelCounter names them. The platform counts put and take
 * attempts and successes itself around every transaction; a channel reports its size and capacity.
 */
@ProviderType
public interface ChannelCounter extends ComponentCounter {

    String CHANNEL_SIZE = "ChannelSize";
    String CHANNEL_CAPACITY = "ChannelCapacity";
    String CHANNEL_FILL_PERCENTAGE = "ChannelFillPercentage";
    String EVENT_PUT_ATTEMPT = "EventPutAttemptCount";
    String EVENT_PUT_SUCCESS = "EventPutSuccessCount";
    String EVENT_TAKE_ATTEMPT = "EventTakeAttemptCount";
    String EVENT_TAKE_SUCCESS = "EventTakeSuccessCount";

    default void setChannelSize(long size) {
        set(CHANNEL_SIZE, size);
    }

    default void setChannelCapacity(long capacity) {
        set(CHANNEL_CAPACITY, capacity);
    }

    default void incrementEventPutAttemptCount() {
        add(EVENT_PUT_ATTEMPT, 1);
    }

    default void addToEventPutSuccessCount(long delta) {
        add(EVENT_PUT_SUCCESS, delta);
    }

    default void incrementEventTakeAttemptCount() {
        add(EVENT_TAKE_ATTEMPT, 1);
    }

    default void addToEventTakeSuccessCount(long delta) {
        add(EVENT_TAKE_SUCCESS, delta);
    }
}
