package org.sluice.source.taildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.api.source.SourceContext;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

/** A taildir source on real files of a test directory, driven look by look from the test's thread. */
final class TaildirFixture implements AutoCloseable {

    final Path root;
    final Path logs;
    final Path positionFile;
    final RecordingChannelProcessor processor = new RecordingChannelProcessor();
    final Map<String, String> properties = new HashMap<>();
    SourceContext context;
    TaildirSource source;

    TaildirFixture(Path root) throws IOException {
        this.root = root;
        this.logs = Files.createDirectories(root.resolve("logs"));
        this.positionFile = root.resolve("positions/taildir_position.json");
        properties.put("filegroups", "f1");
        properties.put("filegroups.f1", logs.resolve("app\\.log.*").toString());
        properties.put("positionFile", positionFile.toString());
    }

    TaildirFixture set(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** Creates and opens the source (no thread: the test calls {@link #look()}). */
    TaildirFixture open() throws IOException, ConfigurationException {
        return open(processor);
    }

    /** Opens the source with its batches going to {@code front}, which hands them on to {@link #processor}. */
    TaildirFixture open(ChannelProcessor front) throws IOException, ConfigurationException {
        context = TestContexts.source("r1", properties, front, root.resolve("data"));
        source = (TaildirSource) new TaildirSourceFactory().create(context);
        source.open();
        return this;
    }

    /** Looks until a look reads nothing more (at most 50 looks). */
    TaildirFixture look() {
        for (int i = 0; i < 50; i++) {
            int before = processor.accepted().size();
            source.pass();
            if (processor.accepted().size() == before) {
                return this;
            }
        }
        return this;
    }

    /** Looks again and again until {@code condition} holds (files that must go idle first). */
    TaildirFixture lookUntil(java.util.function.BooleanSupplier condition) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(20)).until(() -> {
                    source.pass();
                    return condition.getAsBoolean();
                });
        return this;
    }

    /** Stops as the platform's stop would after the thread ended: positions written, files closed. */
    void stop() {
        source.finish();
    }

    @Override
    public void close() {
        if (source != null) {
            source.finish();
        }
    }

    ComponentCounters counters() {
        return TestContexts.countersOf(context);
    }

    List<String> bodies() {
        List<String> bodies = new ArrayList<>();
        for (Event event : processor.accepted()) {
            bodies.add(new String(event.getBody(), StandardCharsets.UTF_8));
        }
        return bodies;
    }

    /** How often each body was delivered, for lines that must come exactly once. */
    Map<String, Integer> counts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (String body : bodies()) {
            counts.merge(body, 1, Integer::sum);
        }
        return counts;
    }

    static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Appends lines {@code prefix-from} to {@code prefix-(to-1)}, each with its newline. */
    static void appendLines(Path file, String prefix, int from, int to) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            text.append(prefix).append('-').append(i).append('\n');
        }
        append(file, text.toString());
    }

    static List<String> lines(String prefix, int from, int to) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            lines.add(prefix + "-" + i);
        }
        return lines;
    }
}
