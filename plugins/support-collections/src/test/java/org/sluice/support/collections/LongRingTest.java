package org.sluice.support.collections;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.Random;

import org.junit.jupiter.api.Test;

class LongRingTest {
    @Test
    void pollsInTheOrderAdded() {
        LongRing ring = new LongRing(4);
        for (long v = 1; v <= 10; v++) {
            ring.addLast(v);
        }
        assertEquals(10, ring.size());
        assertEquals(1, ring.peekFirst());
        assertEquals(10, ring.peekLast());
        for (long v = 1; v <= 10; v++) {
            assertEquals(v, ring.pollFirst());
        }
        assertTrue(ring.isEmpty());
    }

    @Test
    void growsWhileItsHeadIsInTheMiddleOfTheArray() {
        LongRing ring = new LongRing(8);
        for (long v = 0; v < 8; v++) {
            ring.addLast(v);
        }
        for (long v = 0; v < 5; v++) {
            assertEquals(v, ring.pollFirst());
        }
        // The tail wraps to the start of the array, then the ring grows with its head at 5.
        for (long v = 8; v < 20; v++) {
            ring.addLast(v);
        }
        assertArrayEquals(new long[] {5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}, ring.toArray());
    }

    @Test
    void valuesPutBackAtTheHeadComeFirstInTheirOrder() {
        LongRing ring = new LongRing(4);
        ring.addLast(10);
        ring.addLast(11);
        long taken1 = ring.pollFirst();
        long taken2 = ring.pollFirst();
        ring.addLast(12);
        ring.addFirst(new long[] {99, taken1, taken2, 98}, 1, 3);
        assertArrayEquals(new long[] {10, 11, 12}, ring.toArray());
        // More than the room left: the ring grows while putting back.
        ring.addFirst(new long[] {1, 2, 3, 4, 5, 6}, 0, 6);
        assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6, 10, 11, 12}, ring.toArray());
    }

    @Test
    void anEmptyRingSaysSoInsteadOfReturningAStaleValue() {
        LongRing ring = new LongRing();
        ring.addLast(7);
        ring.pollFirst();
        assertThrows(NoSuchElementException.class, ring::pollFirst);
        assertThrows(NoSuchElementException.class, ring::peekFirst);
        assertThrows(NoSuchElementException.class, ring::peekLast);
        assertThrows(IndexOutOfBoundsException.class, () -> ring.addFirst(new long[2], 1, 3));
    }

    @Test
    void behavesAsADequeUnderRandomOperations() {
        Random random = new Random(42);
        LongRing ring = new LongRing(2);
        ArrayDeque<Long> model = new ArrayDeque<>();
        for (int step = 0; step < 200_000; step++) {
            int op = random.nextInt(10);
            if (op < 5) {
                long value = random.nextLong();
                ring.addLast(value);
                model.addLast(value);
            } else if (op < 8 && !model.isEmpty()) {
                assertEquals(model.pollFirst(), ring.pollFirst());
            } else if (op == 8) {
                long[] back = new long[random.nextInt(5)];
                for (int i = 0; i < back.length; i++) {
                    back[i] = random.nextLong();
                }
                ring.addFirst(back, 0, back.length);
                for (int i = back.length - 1; i >= 0; i--) {
                    model.addFirst(back[i]);
                }
            } else if (!model.isEmpty()) {
                assertEquals(model.peekFirst(), ring.peekFirst());
                assertEquals(model.peekLast(), ring.peekLast());
            }
            assertEquals(model.size(), ring.size());
        }
        assertArrayEquals(model.stream().mapToLong(Long::longValue).toArray(), ring.toArray());
        ring.clear();
        assertEquals(0, ring.toArray().length);
    }
}
