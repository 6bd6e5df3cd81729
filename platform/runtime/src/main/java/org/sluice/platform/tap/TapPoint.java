package org.sluice.platform.tap;

import java.util.Arrays;

import org.sluice.api.event.Event;

/**
 * Where events of one component pass and taps may watch them. With no tap open, {@link #offer} is one volatile
 * read of an empty array: the delivery path pays nothing more. Taps are added and removed rarely, under the
 * point's monitor, by replacing the array.
 */
public final class TapPoint {
    private static final Tap[] NONE = new Tap[0];

    private volatile Tap[] taps = NONE;

    /** True when some tap watches this point; lets a caller skip a loop over a batch. */
    public boolean active() {
        return taps.length != 0;
    }

    /** Shows the event to the open taps, if any; never blocks. */
    public void offer(String point, Event event) {
        Tap[] current = taps;
        if (current.length == 0) {
            return;
        }
        for (Tap tap : current) {
            tap.offer(point, event);
        }
    }

    synchronized Tap open(int wanted) {
        Tap[] holder = new Tap[1];
        Tap tap = new Tap(wanted, () -> remove(holder[0]));
        holder[0] = tap;
        Tap[] next = Arrays.copyOf(taps, taps.length + 1);
        next[next.length - 1] = tap;
        taps = next;
        return tap;
    }

    private synchronized void remove(Tap tap) {
        taps = Arrays.stream(taps).filter(t -> t != tap).toArray(Tap[]::new);
    }
}
