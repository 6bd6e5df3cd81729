package org.sluice.itests.osgi.support;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The traffic of the User Guide's multiplexing examples: per state, one batch of events {@code <state>-<i>} whose
 * header names the state; a null state sends events without the header, named {@code none-<i>}.
 */
public final class StateBatches {

    private StateBatches() {
    }

    /** Sends one batch per state, in order, each of {@code perState} events, and checks the source accepted each. */
    public static void send(AvroClient client, String header, String[] states, int perState) throws Exception {
        for (String state : states) {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < perState; i++) {
                bodies.add((state == null ? "none" : state) + "-" + i);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            if (state != null) {
                headers.put(header, state);
            }
            assertEquals("the source accepted the " + state + " batch", "OK", client.appendBatch(bodies, headers));
        }
    }

    /** The bodies of the batches of these states ("none" for the events without a state). */
    public static TreeSet<String> bodies(List<String> states, int perState) {
        TreeSet<String> bodies = new TreeSet<>();
        for (String state : states) {
            for (int i = 0; i < perState; i++) {
                bodies.add(state + "-" + i);
            }
        }
        return bodies;
    }
}
