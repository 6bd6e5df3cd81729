package org.sluice.sink.fileroll;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.ProviderUnavailableException;
import org.sluice.api.format.EventSerializerFactory;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.api.testkit.TestChannel;
import org.sluice.support.sink.FaultyChannel;
import org.sluice.testkit.TestContexts;

class RollingFileSinkTest {
    @TempDir
    Path temp;

    private final FileRollSinkFactory factory = new FileRollSinkFactory();
    private final TestChannel channel = new TestChannel(10_000);
    private final List<Sink> started = new ArrayList<>();

    @AfterEach
    void stopSinks() {
        started.forEach(Sink::stop);
    }

    @Test
    void textSerializerWritesEachBodyFollowedByANewlineAndCommitsAfterTheFlush() throws Exception {
        Path out = temp.resolve("out");
        Sink sink = start(Map.of("sink.directory", out.toString(), "sink.rollInterval", "0"));
        channel.putCommitted(List.of(event("first"), event("second", Map.of("h", "v")), event("")));

        assertEquals(Sink.Status.READY, sink.process());

        // Read before stop(): what process() committed must already be in the file.
        assertEquals(0, channel.size());
        List<Path> files = files(out);
        assertEquals(1, files.size());
        assertTrue(files.get(0).getFileName().toString().matches("\\d{13}-1"), files.toString());
        assertEquals("first\nsecond\n\n", content(files.get(0)));
    }

    @Test
    void aNegativeRollIntervalNeverRollsAsInFlume() throws Exception {
        Path out = temp.resolve("out");
        Sink sink = start(Map.of("sink.directory", out.toString(), "sink.rollInterval", "-1"));
        channel.putCommitted(List.of(event("first")));
        assertEquals(Sink.Status.READY, sink.process());
        channel.putCommitted(List.of(event("second")));
        assertEquals(Sink.Status.READY, sink.process());
        List<Path> files = files(out);
        assertEquals(1, files.size());
        assertEquals("first\nsecond\n", content(files.get(0)));
    }

    @Test
    void headerAndTextSerializerWritesTheHeaderMapASpaceAndTheBody() throws Exception {
        Path out = temp.resolve("out");
        Sink sink = start(Map.of("sink.directory", out.toString(), "sink.serializer", "header_and_text"));
        channel.putCommitted(List.of(event("body1", Map.of("host", "web1")), event("body2")));

        sink.process();

        assertEquals("{host=web1} body1\n{} body2\n", content(files(out).get(0)));
    }

    @Test
    void appendNewlineFalseWritesBodiesBackToBack() throws Exception {
        Path out = temp.resolve("out");
        Sink sink = start(Map.of("sink.directory", out.toString(), "sink.serializer.appendNewline", "false"));
        channel.putCommitted(List.of(event("a"), event("b")));

        sink.process();

        assertEquals("ab", content(files(out).get(0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TEXT", "text", "org.apache.flume.serialization.BodyTextEventSerializer$Builder",
        "HEADER_AND_TEXT", "Header_And_Text", "org.apache.flume.serialization.HeaderAndBodyTextEventSerializer$Builder"})
    void acceptsFlumesSerializerNamesAndBuilderClasses(String name) throws Exception {
        Path out = temp.resolve("out");
        Sink sink = start(Map.of("sink.directory", out.toString(), "sink.serializer", name));
        channel.putCommitted(List.of(event("x", Map.of("k", "v"))));

        sink.process();

        String expected = name.toUpperCase().contains("HEADER") ? "{k=v} x\n" : "x\n";
        assertEquals(expected, content(files(out).get(0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"avro_event", "com.example.MySerializer$Builder"})
    void waitsForAPluginToProvideAnyOtherSerializerNamingTheKey(String name) {
        ProviderUnavailableException e = assertThrows(ProviderUnavailableException.class, () -> factory.create(
                context(Map.of("sink.directory", temp.toString(), "sink.serializer", name))));
        assertEquals("sink.serializer", e.key());
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void aPluginsSerializerWritesEachFileFromStartToEndWithItsKeys() throws Exception {
        Path out = temp.resolve("out");
        List<String> prefixes = new ArrayList<>();
        EventSerializerFactory framed = (owner, keyPrefix, stream) -> {
            prefixes.add(keyPrefix);
            String label = owner.subProperties(keyPrefix).get("label");
            return new FramingSerializer(label, stream);
        };
        SinkContext context = TestContexts.withPart(EventSerializerFactory.class, "com.example.Framed$Builder", framed)
                .sink("k1", Map.of("sink.directory", out.toString(), "sink.rollInterval", "0",
                        "sink.serializer", "com.example.Framed$Builder", "sink.serializer.label", "L"),
                        channel, temp.resolve("data"));
        Sink sink = start(context);
        channel.putCommitted(List.of(event("a"), event("b")));

        sink.process();
        // Committed: the events are in the file, flushed by the serializer before the commit.
        assertEquals("BEGIN L\na\nb\n", content(files(out).get(0)));
        sink.stop();
        started.remove(sink);

        assertEquals("BEGIN L\na\nb\nEND L\n", content(files(out).get(0)));
        assertEquals(List.of("sink.serializer."), prefixes);
    }

    /** Writes a first line when its file is made, one per event (held until flushed), a last before it is closed. */
    private static final class FramingSerializer implements org.sluice.api.format.EventSerializer {
        private final String label;
        private final java.io.OutputStream out;
        private final StringBuilder pending = new StringBuilder();

        FramingSerializer(String label, java.io.OutputStream out) {
            this.label = label;
            this.out = out;
        }

        @Override
        public void afterCreate() throws IOException {
            out.write(("BEGIN " + label + "\n").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void afterReopen() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void write(Event event) {
            pending.append(new String(event.getBody(), StandardCharsets.UTF_8)).append('\n');
        }

        @Override
        public void flush() throws IOException {
            out.write(pending.toString().getBytes(StandardCharsets.UTF_8));
            pending.setLength(0);
        }

        @Override
        public void beforeClose() throws IOException {
            out.write(("END " + label + "\n").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean supportsReopen() {
            return false;
        }
    }

    @Test
    void sinkDirectoryIsRequired() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> factory.create(context(Map.of())));
        assertEquals("sink.directory", e.key());
    }

    @Test
    void namesFilesWithPrefixAndExtension() throws Exception {
        Path out = temp.resolve("out");
        Sink sink = start(Map.of("sink.directory", out.toString(), "sink.pathManager.prefix", "web-",
                "sink.pathManager.extension", "log"));
        channel.putCommitted(List.of(event("x")));

        sink.process();

        String name = files(out).get(0).getFileName().toString();
        assertTrue(name.matches("web-\\d{13}-1\\.log"), name);
    }

    @Test
    void rolltimeNamesFilesByTheSecondOfTheRoll() throws Exception {
        Path out = temp.resolve("out");
        Sink sink = start(Map.of("sink.directory", out.toString(), "sink.pathManager", "rolltime",
                "sink.pathManager.extension", "txt"));
        channel.putCommitted(List.of(event("x")));

        sink.process();

        String name = files(out).get(0).getFileName().toString();
        assertTrue(name.matches("20\\d{12}-1\\.txt"), name);
    }

    @Test
    void createsAMissingDirectory() throws Exception {
        Path out = temp.resolve("a/b/c");
        Sink sink = start(Map.of("sink.directory", out.toString()));
        channel.putCommitted(List.of(event("x")));

        sink.process();

        assertEquals("x\n", content(files(out).get(0)));
    }

    @Test
    void aDirectoryThatIsAFileFailsTheStartNamingTheKey() throws Exception {
        Path file = Files.writeString(temp.resolve("plain-file"), "");
        Sink sink = factory.create(context(Map.of("sink.directory", file.toString())));

        ConfigurationException e = assertThrows(ConfigurationException.class, sink::start);

        assertEquals("sink.directory", e.key());
    }

    @Test
    void anIdleSinkBacksOffAndLeavesNoEmptyFile() throws Exception {
        Path out = temp.resolve("out");
        Sink sink = start(Map.of("sink.directory", out.toString()));

        assertEquals(Sink.Status.BACKOFF, sink.process());

        assertEquals(List.of(), files(out));
    }

    @Test
    void aFailedOpenRollsBackAndTheNextProcessWritesEverything() throws Exception {
        Path out = temp.resolve("out");
        SinkContext context = context(Map.of("sink.directory", out.toString(), "sink.rollInterval", "0"));
        Sink sink = start(context);
        channel.putCommitted(List.of(event("a"), event("b")));
        Files.delete(out);

        EventDeliveryException failure = assertThrows(EventDeliveryException.class, sink::process);

        assertTrue(failure.getMessage().contains("k1"), failure.getMessage());
        assertEquals(2, channel.size());
        assertEquals(1, channel.rollbacks());
        ComponentCounters counters = TestContexts.countersOf(context);
        assertEquals(1, counters.get(SinkCounter.EVENT_WRITE_FAIL));
        assertEquals(1, counters.get(SinkCounter.CONNECTION_FAILED));
        assertEquals(0, counters.get(SinkCounter.EVENT_DRAIN_SUCCESS));

        Files.createDirectories(out);
        assertEquals(Sink.Status.READY, sink.process());
        assertEquals("a\nb\n", concatenated(out));
        assertEquals(2, counters.get(SinkCounter.EVENT_DRAIN_SUCCESS));
    }

    @Test
    void aBatchThatFailsHalfWayIsCutOffTheFileAndStaysInTheChannel() throws Exception {
        Path out = temp.resolve("out");
        Sink sink = start(Map.of("sink.directory", out.toString(), "sink.rollInterval", "0"));
        channel.putCommitted(List.of(event("committed")));
        sink.process();
        // Larger than the write buffer, so part of the failing batch reaches the file before the failure.
        String large = "x".repeat(200_000);
        Event unreadable = new UnreadableEvent();
        channel.putCommitted(List.of(event(large), unreadable));

        assertThrows(EventDeliveryException.class, sink::process);

        assertEquals("committed\n", concatenated(out), "the failed batch's bytes are cut off");
        List<Event> leftInChannel = channel.drain();
        assertEquals(2, leftInChannel.size());
        assertEquals(event(large), leftInChannel.get(0));
        assertTrue(leftInChannel.get(1) == unreadable);

        channel.putCommitted(List.of(event(large)));
        sink.process();
        List<Path> files = files(out);
        assertEquals(2, files.size(), "the batch after a failure starts a new file");
        assertEquals("committed\n", content(files.get(0)));
        assertEquals(large + "\n", content(files.get(1)));
    }

    @Test
    void aFailedCommitCutsTheFlushedBatchOffTheFile() throws Exception {
        Path out = temp.resolve("out");
        FaultyChannel failing = new FaultyChannel(channel);
        SinkContext context = TestContexts.sink("k1", Map.of("sink.directory", out.toString(),
                "sink.rollInterval", "0"), failing, temp.resolve("data"));
        Sink sink = start(context);
        channel.putCommitted(List.of(event("committed")));
        sink.process();
        channel.putCommitted(List.of(event("not committed")));
        failing.failNextCommit();

        assertThrows(EventDeliveryException.class, sink::process);

        assertEquals("committed\n", concatenated(out));
        assertEquals(List.of(event("not committed")), channel.drain());
        assertEquals(1, TestContexts.countersOf(context).get(SinkCounter.CHANNEL_READ_FAIL));
    }

    @Test
    void rollsByIntervalWithoutLosingOrRepeatingAnEvent() throws Exception {
        Path out = temp.resolve("out");
        SinkContext context = context(Map.of("sink.directory", out.toString(), "sink.rollInterval", "1",
                "sink.batchSize", "7"));
        Sink sink = start(context);
        List<String> sent = new ArrayList<>();
        // Events keep coming until the 1 s interval has rolled the output into three files.
        await("three files rolled").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
            List<Event> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String body = "event-" + sent.size();
                sent.add(body);
                batch.add(event(body));
            }
            channel.putCommitted(batch);
            while (sink.process() == Sink.Status.READY) {
                // drain what was put
            }
            return files(out).size() >= 3;
        });
        sink.stop();
        started.remove(sink);

        assertEquals(sent.stream().map(body -> body + "\n").collect(Collectors.joining()), concatenated(out));
        ComponentCounters counters = TestContexts.countersOf(context);
        assertEquals(files(out).size(), counters.get(SinkCounter.CONNECTION_CREATED));
        assertEquals(files(out).size(), counters.get(SinkCounter.CONNECTION_CLOSED));
        assertEquals(sent.size(), counters.get(SinkCounter.EVENT_DRAIN_SUCCESS));
    }

    @Test
    void rollIntervalZeroKeepsOneFileAndCountsBatches() throws Exception {
        Path out = temp.resolve("out");
        SinkContext context = context(Map.of("sink.directory", out.toString(), "sink.rollInterval", "0",
                "sink.batchSize", "2", "sink.fsync", "true"));
        Sink sink = start(context);
        channel.putCommitted(List.of(event("1"), event("2"), event("3")));

        assertEquals(Sink.Status.READY, sink.process());
        assertEquals(Sink.Status.READY, sink.process());
        assertEquals(Sink.Status.BACKOFF, sink.process());
        sink.stop();
        started.remove(sink);

        assertEquals(1, files(out).size());
        assertEquals("1\n2\n3\n", concatenated(out));
        ComponentCounters counters = TestContexts.countersOf(context);
        assertEquals(1, counters.get(SinkCounter.BATCH_COMPLETE));
        assertEquals(1, counters.get(SinkCounter.BATCH_UNDERFLOW));
        assertEquals(1, counters.get(SinkCounter.BATCH_EMPTY));
        assertEquals(3, counters.get(SinkCounter.EVENT_DRAIN_ATTEMPT));
        assertEquals(3, counters.get(SinkCounter.EVENT_DRAIN_SUCCESS));
        assertEquals(1, counters.get(SinkCounter.CONNECTION_CREATED));
        assertEquals(1, counters.get(SinkCounter.CONNECTION_CLOSED));
    }

    private Sink start(Map<String, String> properties) throws Exception {
        return start(context(properties));
    }

    private Sink start(SinkContext context) throws Exception {
        Sink sink = factory.create(context);
        sink.start();
        started.add(sink);
        return sink;
    }

    private SinkContext context(Map<String, String> properties) {
        return TestContexts.sink("k1", properties, channel, temp.resolve("data"));
    }

    private static Event event(String body) {
        return EventBuilder.withBody(body, StandardCharsets.UTF_8);
    }

    private static Event event(String body, Map<String, String> headers) {
        return EventBuilder.withBody(body, StandardCharsets.UTF_8, headers);
    }

    /** The directory's files in the order they were written: by the counter after the last dash. */
    private static List<Path> files(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.sorted(Comparator.comparingInt(RollingFileSinkTest::fileNumber)).collect(Collectors.toList());
        }
    }

    private static int fileNumber(Path file) {
        String name = file.getFileName().toString().replaceFirst("\\..*$", "");
        return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    }

    private static String content(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static String concatenated(Path directory) throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path file : files(directory)) {
            all.append(content(file));
        }
        return all.toString();
    }

    /** An event whose body cannot be read, as a write that fails in the middle of a batch. */
    private static final class UnreadableEvent implements Event {
        private Map<String, String> headers = new HashMap<>();

        @Override
        public Map<String, String> getHeaders() {
            return headers;
        }

        @Override
        public void setHeaders(Map<String, String> headers) {
            this.headers = headers;
        }

        @Override
        public byte[] getBody() {
            throw new UncheckedIOException(new IOException("test: body unreadable"));
        }

        @Override
        public void setBody(byte[] body) {
            throw new UnsupportedOperationException();
        }
    }
}
