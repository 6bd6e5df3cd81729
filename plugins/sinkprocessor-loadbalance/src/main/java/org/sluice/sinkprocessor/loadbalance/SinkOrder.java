package org.sluice.sinkprocessor.loadbalance;

/**
 * The order in which a batch is offered to the group's sinks. Called from the group's runner thread only.
 */
abstract class SinkOrder {

    /** Where random orders come from: a number in [0, bound). */
    interface RandomSource {
        int nextInt(int bound);
    }

    /** Fills {@code order} with the indexes 0 .. order.length - 1 in the order to try them this time. */
    abstract void next(int[] order);

    /** Each call starts one sink further on, and goes round from there. */
    static SinkOrder roundRobin() {
        return new SinkOrder() {
            private int start;

            @Override
            void next(int[] order) {
                int n = order.length;
                for (int i = 0; i < n; i++) {
                    order[i] = (start + i) % n;
                }
                start = (start + 1) % n;
            }
        };
    }

    /** A fresh random permutation each call. */
    static SinkOrder random(RandomSource random) {
        return new SinkOrder() {
            @Override
            void next(int[] order) {
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                for (int i = order.length - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int swap = order[i];
                    order[i] = order[j];
                    order[j] = swap;
                }
            }
        };
    }
}
