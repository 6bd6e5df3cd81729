package org.sluice.rpc.avro;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.sluice.api.source.SourceContext;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

/** What a test started (sources, sinks, clients, peers), stopped after it, the last started first. */
final class StartedParts implements AutoCloseable, AfterEachCallback {
    private final List<AutoCloseable> running = new ArrayList<>();
    private SourceContext sourceContext;

    /** Stops {@code part} after the test. */
    void add(AutoCloseable part) {
        running.add(part);
    }

    /**
     * Starts an Avro source {@code r1} on 127.0.0.1 and a free port, with these keys added, handing its events to
     * {@code processor}; stopped after the test.
     */
    AvroSource source(Map<String, String> extra, RecordingChannelProcessor processor, Path data) throws Exception {
        sourceContext = TestContexts.listeningSource(extra, processor, data);
        AvroSource source = (AvroSource) new AvroSourceFactory().create(sourceContext);
        source.start();
        running.add(source::stop);
        return source;
    }

    /** The context of the source started last, for its counters. */
    SourceContext sourceContext() {
        return sourceContext;
    }

    /** Stops everything after each test, when registered with {@code @RegisterExtension}. */
    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void close() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        running.clear();
    }
}
