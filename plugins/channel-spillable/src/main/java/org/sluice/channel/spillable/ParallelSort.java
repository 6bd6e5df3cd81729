package org.sluice.channel.spillable;

/**
 * Sorts events recovered from the overflow by sequence number, moving their pointers along, without boxing:
 * a recovered overflow may hold millions. The input is nearly sorted (log order is commit order except where
 * commits overlapped, and events saved from memory at stop come last), so an already sorted input costs
 * one pass and the rest is a heap sort, which needs no recursion and no extra memory.
 */
final class ParallelSort {
    private ParallelSort() {
    }

    static void bySeq(long[] keys, long[] values, int n) {
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) {
            sorted = keys[i - 1] <= keys[i];
        }
        if (sorted) {
            return;
        }
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(keys, values, i, n);
        }
        for (int end = n - 1; end > 0; end--) {
            swap(keys, values, 0, end);
            siftDown(keys, values, 0, end);
        }
    }

    private static void siftDown(long[] keys, long[] values, int i, int n) {
        while (true) {
            int largest = i;
            int left = 2 * i + 1;
            int right = left + 1;
            if (left < n && keys[left] > keys[largest]) {
                largest = left;
            }
            if (right < n && keys[right] > keys[largest]) {
                largest = right;
            }
            if (largest == i) {
                return;
            }
            swap(keys, values, i, largest);
            i = largest;
        }
    }

    private static void swap(long[] keys, long[] values, int a, int b) {
        long k = keys[a];
        keys[a] = keys[b];
        keys[b] = k;
        long v = values[a];
        values[a] = values[b];
        values[b] = v;
    }
}
