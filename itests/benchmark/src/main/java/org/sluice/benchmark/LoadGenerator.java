package org.sluice.benchmark;

import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;

/** Load the harness puts on an agent's source for the length of one run. */
interface LoadGenerator extends AutoCloseable {

    /** Connects (retrying while the source is not listening yet) and starts sending. */
    void start(Duration connectTimeout) throws IOException, InterruptedException;

    /** Fails when the load broke while running. */
    void check() throws IOException;

    /** Events (or batches, for RPC clients) the agent refused so far; none for a load that cannot be refused. */
    default long rejected() {
        return 0;
    }

    /** A process of its own whose CPU time is the load's, beside the harness's; empty when it runs inside. */
    default OptionalLong processId() {
        return OptionalLong.empty();
    }

    @Override
    void close() throws IOException, InterruptedException;
}
