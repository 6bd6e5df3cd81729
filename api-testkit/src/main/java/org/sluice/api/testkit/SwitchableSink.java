package org.sluice.api.testkit;

import java.util.List;

import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkProcessor;

/**
 * A sink for sink processor tests: it delivers, backs off or fails as the test switches it, and records each call
 * by name in a log the test shares between sinks, so the order in which a processor tries them can be asserted.
 */
public final class SwitchableSink implements Sink {
    private final String name;
    private final List<String> calls;
    private volatile boolean failing;
    private volatile Status answer = Status.READY;

    public SwitchableSink(String name, List<String> calls) {
        this.name = name;
        this.calls = calls;
    }

    /** From now on every call throws EventDeliveryException (true) or answers (false). */
    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** What a call that does not fail answers. */
    public void answer(Status answer) {
        this.answer = answer;
    }

    @Override
    public Status process() throws EventDeliveryException {
        calls.add(name);
        if (failing) {
            throw new EventDeliveryException(name + " cannot reach its destination");
        }
        return answer;
    }

    /**
     * Lets {@code processor} process {@code times} times and returns the sinks it called, in order, from the log
     * its switchable sinks share (which is emptied first).
     */
    public static List<String> callsOf(SinkProcessor processor, int times, List<String> calls)
            throws EventDeliveryException {
        calls.clear();
        for (int i = 0; i < times; i++) {
            processor.process();
        }
        return List.copyOf(calls);
    }

    @Override
    public String toString() {
        return "switchable sink " + name;
    }
}
