package org.sluice.platform.runtime;

/**
 * The thread that drives sinks: a sink group's (its processor picks the sink) or a lone sink's, one per sink
 * that no group lists. A sink and a group may share a name, so the kind is part of the key.
 */
sealed interface RunnerKey {

    /** The sink's or the group's name. */
    String name();

    /** The name of the runner's thread. */
    String threadName(String agent);

    /** The runner of a sink that no group lists. */
    record LoneSink(String name) implements RunnerKey {
        @Override
        public String threadName(String agent) {
            return "sluice-" + agent + "-sink-" + name;
        }
    }

    /** The runner of a sink group: its processor with the group's sinks. */
    record Group(String name) implements RunnerKey {
        @Override
        public String threadName(String agent) {
            return "sluice-" + agent + "-sinkgroup-" + name;
        }
    }
}
