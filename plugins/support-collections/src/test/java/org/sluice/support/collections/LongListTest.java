package org.sluice.support.collections;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LongListTest {
    @Test
    void keepsWhatIsAddedInOrderWhileGrowing() {
        LongList list = new LongList(1);
        for (long v = 0; v < 1000; v++) {
            list.add(v * 3);
        }
        assertEquals(1000, list.size());
        assertEquals(2997, list.get(999));
        list.set(0, -5);
        assertEquals(-5, list.toArray()[0]);
        list.truncate(2);
        assertArrayEquals(new long[] {-5, 3}, list.toArray());
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(2));
        list.clear();
        assertTrue(list.isEmpty());
        assertEquals(0, list.toArray().length);
    }
}
