package org.sluice.source.spooldir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.ProviderUnavailableException;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.format.EventDeserializer;
import org.sluice.api.format.EventDeserializerFactory;
import org.sluice.api.format.PositionedInput;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.source.spooldir.SpoolDirectorySource.Step;
import org.sluice.testkit.TestContexts;

/**
 * A deserializer another bundle provides ({@code deserializer = <its builder class>}): the source reads each file
 * with it, keeps the headers it gives each event, and saves its mark after every committed batch, so a refused batch
 * comes again from the mark and a restart continues there.
 */
class PluginDeserializerTest {
    private static final String TYPE = "com.example.TaggedLineDeserializer$Builder";

    @TempDir
    Path temp;

    private Path spool;
    private RecordingChannelProcessor processor;
    private final TaggedLines plugin = new TaggedLines();

    @BeforeEach
    void setUp() throws IOException {
        spool = Files.createDirectory(temp.resolve("spool"));
        processor = new RecordingChannelProcessor();
    }

    private SpoolDirectorySource source(String... keyValues) throws Exception {
        Map<String, String> properties = new HashMap<>(Map.of("spoolDir", spool.toString(), "deserializer", TYPE));
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        SpoolDirectorySource source = (SpoolDirectorySource) new SpoolDirectorySourceFactory().create(
                TestContexts.withPart(EventDeserializerFactory.class, TYPE, plugin).source("r1", properties,
                        processor, temp.resolve("data")));
        source.open();
        return source;
    }

    private static void drain(SpoolDirectorySource source) throws IOException {
        for (int i = 0; i < 1000 && source.step() == Step.WORKED; i++) {
            // until it idles
        }
    }

    private List<String> bodies() {
        return processor.accepted().stream().map(e -> new String(e.getBody(), StandardCharsets.UTF_8))
                .collect(Collectors.toList());
    }

    private List<String> spoolListing() throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted()
                    .collect(Collectors.toList());
        }
    }

    @Test
    void eventsKeepTheDeserializersHeadersUnderTheFilesOwn() throws Exception {
        Files.writeString(spool.resolve("a.log"), "web|one\ndb|two\nbasename|three\n");
        SpoolDirectorySource source = source("deserializer.header", "origin", "basenameHeader", "true");

        drain(source);

        assertEquals(List.of("one", "two", "three"), bodies());
        List<Map<String, String>> headers = processor.accepted().stream().map(Event::getHeaders)
                .collect(Collectors.toList());
        assertEquals(Map.of("origin", "web", "basename", "a.log"), headers.get(0));
        assertEquals(Map.of("origin", "db", "basename", "a.log"), headers.get(1));
        assertEquals(List.of("a.log.COMPLETED"), spoolListing());
    }

    @Test
    void aRefusedBatchComesAgainFromTheMarkAndARestartContinuesAfterTheLastCommit() throws Exception {
        // Characters of two and three bytes: the saved position is in bytes of the file, as Flume's.
        List<String> lines = new ArrayList<>();
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            lines.add("é" + i + "€");
            file.append("t").append(i).append('|').append(lines.get(i)).append('\n');
        }
        Files.writeString(spool.resolve("a.log"), file.toString());
        SpoolDirectorySource first = source("batchSize", "3");
        assertEquals(Step.WORKED, first.step());
        assertEquals(Step.WORKED, first.step());
        processor.failNext(1);
        assertEquals(Step.BACKOFF, first.step());
        assertEquals(Step.WORKED, first.step());
        assertEquals(lines.subList(0, 9), bodies(), "the refused batch came again, from the mark");
        first.stop(); // as a crash: the last line is not read, the file not finished

        SpoolDirectorySource second = source("batchSize", "3");
        drain(second);

        assertEquals(lines, bodies(), "every line once, in order");
        assertEquals("t9", processor.accepted().get(9).getHeaders().get("tag"));
        assertEquals(List.of("a.log.COMPLETED"), spoolListing());
        assertEquals(2, plugin.made, "a deserializer per file and start: the first and the restart");
    }

    @Test
    void aDeserializerErrorDeliversNothingOfItsBatchAndLeavesTheFileAtItsPosition() throws Exception {
        Files.writeString(spool.resolve("a.log"), "a|1\nb|2\nc|3\nno tag\nd|4\n");
        SpoolDirectorySource source = source("batchSize", "2");

        drain(source);

        assertEquals(List.of("1", "2"), bodies(), "the batch with the bad line is not delivered in part");
        assertEquals(List.of("a.log"), spoolListing());
        SpoolDirectorySource restarted = source("batchSize", "2");
        Files.writeString(spool.resolve("b.log"), "e|5\n");
        drain(restarted);
        assertEquals(List.of("1", "2", "5"), bodies(), "the bad file again stops at the same place, others go on");
    }

    @Test
    void withoutItsProviderTheSourceWaitsNamingTheKey() {
        Map<String, String> properties = Map.of("spoolDir", spool.toString(), "deserializer", TYPE);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> new SpoolDirectorySourceFactory()
                .create(TestContexts.source("r1", properties, processor, temp.resolve("data"))));
        assertInstanceOf(ProviderUnavailableException.class, e);
        assertEquals("deserializer", e.key());
        assertTrue(e.getMessage().contains(TYPE), e.getMessage());
    }

    /**
     * A deserializer as a plugin provides one: lines {@code tag|body}, the tag in a header ({@code header}, default
     * {@code tag}); a line without a tag is an error. It reads characters and leaves its place to the input's mark.
     */
    private static final class TaggedLines implements EventDeserializerFactory {
        int made;

        @Override
        public EventDeserializer create(ComponentContext owner, String keyPrefix, PositionedInput input) {
            made++;
            String header = owner.subProperties(keyPrefix).getOrDefault("header", "tag");
            return new EventDeserializer() {
                @Override
                public Event readEvent() throws IOException {
                    StringBuilder line = new StringBuilder();
                    int c = input.readChar();
                    if (c == -1) {
                        return null;
                    }
                    for (; c != -1 && c != '\n'; c = input.readChar()) {
                        line.append((char) c);
                    }
                    int bar = line.indexOf("|");
                    if (bar < 0) {
                        throw new IOException("no tag in '" + line + "'");
                    }
                    return EventBuilder.withBody(line.substring(bar + 1), StandardCharsets.UTF_8,
                            Map.of(header, line.substring(0, bar)));
                }

                @Override
                public void mark() throws IOException {
                    input.mark();
                }

                @Override
                public void reset() throws IOException {
                    input.reset();
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
