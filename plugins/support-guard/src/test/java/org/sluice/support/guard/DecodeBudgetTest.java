package org.sluice.support.guard;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DecodeBudgetTest {

    @Test
    void thirtyMillionEmptyEventsAreRefusedAfterTheEventsBound() {
        // The finding: a 60 MB appendBatch of 30 million empty events (2 bytes each on the Avro wire).
        DecodeBudget budget = DecodeBudget.forRequest("avro request", DecodeBudget.DEFAULT_MAX_EVENTS, 60_000_000);
        RequestTooLargeException refused = assertThrows(RequestTooLargeException.class, () -> {
            for (int i = 0; i < 30_000_000; i++) {
                budget.chargeEvent();
                budget.chargeBytes(0);
            }
        });
        assertEquals(DecodeBudget.DEFAULT_MAX_EVENTS, budget.events());
        assertTrue(refused.getMessage().contains("more than 100000 events (max-events-per-request)"),
                refused.getMessage());
        // What was charged before the refusal is a few megabytes, not gigabytes.
        assertTrue(budget.decodedBytes() < 16L * 1024 * 1024, "charged " + budget.decodedBytes());
    }

    @Test
    void aDeclaredCountIsRefusedBeforeAnythingIsRead() {
        DecodeBudget budget = DecodeBudget.forRequest("thrift request", 1000, 10_000);
        assertThrows(RequestTooLargeException.class, () -> budget.chargeEvents(1001));
        assertEquals(0, budget.events());
    }

    @Test
    void headerAmplificationIsBoundedByAMultipleOfTheWireSize() {
        // 1 MB of one-byte headers: each costs 2 bytes on the wire and an entry and maybe a string on the heap.
        long wire = 1_000_000;
        DecodeBudget budget = DecodeBudget.forRequest("avro request", DecodeBudget.DEFAULT_MAX_EVENTS, wire);
        assertThrows(RequestTooLargeException.class, () -> {
            budget.chargeEvent();
            for (int i = 0; i < wire / 2; i++) {
                budget.chargeHeaders(1);
                budget.chargeString(1);
            }
        });
        assertTrue(budget.decodedBytes() <= DecodeBudget.BYTES_PER_WIRE_BYTE * wire + DecodeBudget.SLACK_BYTES);
    }

    @Test
    void flumesBatchesOfOrdinaryEventsFitEasily() {
        // 1000 events of 500 bytes with two headers, as Flume's sinks send them: about 530 KB on the wire.
        long wire = 1000 * 530;
        DecodeBudget budget = DecodeBudget.forRequest("avro request", DecodeBudget.DEFAULT_MAX_EVENTS, wire);
        assertDoesNotThrow(() -> {
            for (int i = 0; i < 1000; i++) {
                budget.chargeEvent();
                budget.chargeHeaders(2);
                budget.chargeString(9);
                budget.chargeString(13);
                budget.chargeBytes(500);
            }
        });
        // And a full batch of 100,000 small events (20-byte bodies, a timestamp header of its own each).
        DecodeBudget small = DecodeBudget.forRequest("avro request", DecodeBudget.DEFAULT_MAX_EVENTS, 100_000 * 63);
        assertDoesNotThrow(() -> {
            for (int i = 0; i < 100_000; i++) {
                small.chargeEvent();
                small.chargeHeaders(1);
                small.chargeString(13);
                small.chargeBytes(20);
            }
        });
    }
}
