package org.sluice.rpc.avro;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;
import org.sluice.support.guard.DecodeBudget;
import org.sluice.support.guard.RepeatedStrings;

/**
 * An append or appendBatch call read straight from its frame into events, on a connection whose handshake is done
 * and whose client speaks exactly our protocol (see {@link FlumeProtocol#isWireIdentical}). Then the bytes are laid
 * out by our own schema, so Avro's generic path (a resolving decoder, generic records, Utf8 strings copied once
 * more into the event) can be skipped: the body is copied once from the frame, each header decoded once, and
 * headers equal to the previous event's share its strings ({@link RepeatedStrings}).
 *
 * <p>After the handshake a request is: the call metadata (a map of bytes), the message name, the parameters.
 */
record DirectCall(String message, List<Event> events) {
    private static final int MAX_PRESIZE = 1024;

    /**
     * The call in {@code frame}, or null if it is not append or appendBatch (the generic path answers it). What the
     * events take is charged to {@code budget} before it is allocated.
     *
     * @throws org.sluice.support.guard.RequestTooLargeException when the call exceeds the budget
     */
    static DirectCall read(List<ByteBuffer> frame, DecodeBudget budget) {
        FrameReader in = new FrameReader(frame);
        skipMetadata(in);
        String message = in.readString();
        switch (message) {
            case FlumeProtocol.APPEND:
                budget.chargeEvent();
                return new DirectCall(message, List.of(readEvent(in, null, budget)));
            case FlumeProtocol.APPEND_BATCH:
                return new DirectCall(message, readEvents(in, budget));
            default:
                return null;
        }
    }

    private static void skipMetadata(FrameReader in) {
        for (int count = in.readBlockCount(); count != 0; count = in.readBlockCount()) {
            for (int i = 0; i < count; i++) {
                in.skipBytes();
                in.skipBytes();
            }
        }
    }

    private static List<Event> readEvents(FrameReader in, DecodeBudget budget) {
        int count = in.readBlockCount();
        budget.chargeEvents(count);
        // Sized by the declared count only up to a bound: a count is checked against the bytes left, but a list slot
        // costs more than the one byte an item is charged.
        List<Event> events = new ArrayList<>(Math.min(count, MAX_PRESIZE));
        RepeatedStrings repeated = new RepeatedStrings();
        while (count != 0) {
            for (int i = 0; i < count; i++) {
                events.add(readEvent(in, repeated, budget));
            }
            count = in.readBlockCount();
            budget.chargeEvents(count);
        }
        return events;
    }

    /**
     * An AvroFlumeEvent: {@code headers} (a map of strings), then {@code body} (bytes); {@code repeated} is null for
     * a lone event.
     */
    private static Event readEvent(FrameReader in, RepeatedStrings repeated, DecodeBudget budget) {
        int count = in.readBlockCount();
        budget.chargeHeaders(count);
        Map<String, String> headers = new HashMap<>(count == 0 ? 1 : Math.min(count, MAX_PRESIZE) * 4 / 3 + 1);
        int place = 0;
        while (count != 0) {
            for (int i = 0; i < count; i++) {
                String key = in.readString(repeated, place++, budget);
                headers.put(key, in.readString(repeated, place++, budget));
            }
            count = in.readBlockCount();
            budget.chargeHeaders(count);
        }
        return new SimpleEvent(in.readBytes(budget), headers);
    }
}
