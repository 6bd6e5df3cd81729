package org.sluice.support.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LongSetTest {
    @Test
    void zeroAndNegativeValuesAreValuesLikeAnyOther() {
        LongSet set = new LongSet(2);
        assertFalse(set.contains(0));
        assertTrue(set.add(0));
        assertFalse(set.add(0));
        assertTrue(set.add(-1));
        assertTrue(set.add(Long.MIN_VALUE));
        assertTrue(set.contains(0));
        assertTrue(set.contains(-1));
        assertTrue(set.contains(Long.MIN_VALUE));
        assertFalse(set.contains(1));
        assertEquals(3, set.size());
    }

    @Test
    void agreesWithAHashSetWhileGrowing() {
        Random random = new Random(7);
        LongSet set = new LongSet(4);
        Set<Long> model = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            // Pointers: a small file id in the high half, an offset in the low half; repeats are common.
            long value = ((long) random.nextInt(8) << 32) | random.nextInt(50_000);
            assertEquals(model.add(value), set.add(value));
            long probe = ((long) random.nextInt(8) << 32) | random.nextInt(50_000);
            assertEquals(model.contains(probe), set.contains(probe));
        }
        assertEquals(model.size(), set.size());
        for (long value : model) {
            assertTrue(set.contains(value));
        }
    }
}
