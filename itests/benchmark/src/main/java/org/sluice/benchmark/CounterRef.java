package org.sluice.benchmark;

/**
 * One counter of an agent's metrics: the group as Flume names it ({@code CHANNEL.c1}, {@code SINK.k1}) and the
 * counter ({@code EventTakeSuccessCount}).
 */
record CounterRef(String group, String name) {

    /**
     * Parses {@code GROUP/NAME}, e.g. {@code CHANNEL.c1/EventTakeSuccessCount}: group names contain dots, so a
     * slash separates the two.
     */
    static CounterRef parse(String text) {
        int slash = text.lastIndexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not GROUP/COUNTER, e.g. CHANNEL.c1/EventTakeSuccessCount");
        }
        return new CounterRef(text.substring(0, slash).trim(), text.substring(slash + 1).trim());
    }

    @Override
    public String toString() {
        return group + "/" + name;
    }
}
