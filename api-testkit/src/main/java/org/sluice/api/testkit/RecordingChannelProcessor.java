package org.sluice.api.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.sluice.api.channel.ChannelException;
import org.sluice.api.event.Event;
import org.sluice.api.source.ChannelProcessor;

/**
 * A channel processor that keeps what it accepts, for source tests; {@link #failNext(int)} makes the next
 * calls throw, as a full required channel would.
 */
public final class RecordingChannelProcessor implements ChannelProcessor {
    private final List<Event> accepted = new CopyOnWriteArrayList<>();
    private volatile int failures;

    public void failNext(int calls) {
        failures = calls;
    }

    public List<Event> accepted() {
        return accepted;
    }

    @Override
    public void processEvent(Event event) {
        processEventBatch(List.of(event));
    }

    @Override
    public synchronized void processEventBatch(List<Event> events) {
        if (failures > 0) {
            failures--;
            throw new ChannelException("test: required channel refused the batch");
        }
        accepted.addAll(new ArrayList<>(events));
    }
}
