package org.sluice.flume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

import org.junit.jupiter.api.Test;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.format.EventDeserializer;
import org.sluice.api.format.PositionedInput;
import org.sluice.testkit.TestContexts;

/**
 * spooldir's deserializer from a Flume plugin, exercised with Flume 1.11.0's own LineDeserializer (and its
 * AvroEventDeserializer, which marks block starts) as the plugin: built
 * with the source's keys under {@code deserializer.}, its mark and reset are the input's, and one built on an input at
 * a saved mark continues there, as Flume's ResettableFileInputStream makes it continue after a restart.
 */
class FlumeDeserializersTest {
    private static final PluginClasses FLUME = PluginClasses.of(FlumeDeserializersTest.class.getClassLoader(),
            "flume");
    private static final String LINE = "org.apache.flume.serialization.LineDeserializer$Builder";
    private static final ComponentContext SOURCE = TestContexts.plain(ComponentKind.SOURCE, "r1",
            Map.of("deserializer", LINE));

    @Test
    void aResetReadsAgainFromTheMarkAndANewDeserializerContinuesFromIt() throws Exception {
        ArrayInput input = new ArrayInput("one\ntwo\nthree\nfour\n");
        EventDeserializer first = new FlumeDeserializers(FLUME, LINE).create(SOURCE, "deserializer.", input);
        assertEquals("one", body(first.readEvent()));
        assertEquals("two", body(first.readEvent()));
        first.mark();
        assertEquals(8, input.markedPosition(), "the mark is the byte after the committed lines");
        assertEquals("three", body(first.readEvent()));
        first.reset();
        assertEquals("three", body(first.readEvent()));
        first.close();

        ArrayInput restarted = new ArrayInput("one\ntwo\nthree\nfour\n");
        restarted.seek(8);
        restarted.mark();
        EventDeserializer second = new FlumeDeserializers(FLUME, LINE).create(SOURCE, "deserializer.", restarted);
        assertEquals("three", body(second.readEvent()));
        assertEquals("four", body(second.readEvent()));
        assertNull(second.readEvent());
    }

    @Test
    void theBuilderGetsTheSourcesKeysUnderTheDeserializersPrefix() throws Exception {
        ComponentContext source = TestContexts.plain(ComponentKind.SOURCE, "r1",
                Map.of("deserializer", LINE, "deserializer.maxLineLength", "5", "maxLineLength", "100"));
        EventDeserializer deserializer = new FlumeDeserializers(FLUME, LINE).create(source, "deserializer.",
                new ArrayInput("abcdefgh\n"));
        assertEquals("abcde", body(deserializer.readEvent()), "deserializer.maxLineLength = 5, not maxLineLength");
    }

    @Test
    void aClassThatIsNoDeserializerBuilderIsRefusedNamingTheSourcesKey() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> new FlumeDeserializers(FLUME,
                "org.apache.flume.serialization.BodyTextEventSerializer$Builder").create(SOURCE, "deserializer.",
                new ArrayInput("")));
        assertEquals("deserializer", e.key());
        assertTrue(e.getMessage().contains("EventDeserializer$Builder"), e.getMessage());
    }

    @Test
    void flumesAvroDeserializerMarksABlockStartAndANewOneContinuesFromThatBlock() throws Exception {
        // Flume's AvroEventDeserializer needs its stream RemoteMarkable, as Flume's file stream is: it marks the start
        // of the block it reads, so a restart delivers that block's earlier records again and skips nothing.
        String avro = "org.apache.flume.serialization.AvroEventDeserializer$Builder";
        ComponentContext source = TestContexts.plain(ComponentKind.SOURCE, "r1", Map.of("deserializer", avro));
        byte[] file = avroFile(30);
        List<String> all = bodies(new FlumeDeserializers(FLUME, avro).create(source, "deserializer.",
                new ArrayInput(file)), 100);
        assertEquals(30, all.size());

        ArrayInput input = new ArrayInput(file);
        EventDeserializer first = new FlumeDeserializers(FLUME, avro).create(source, "deserializer.", input);
        assertEquals(all.subList(0, 12), bodies(first, 12));
        first.mark();
        long mark = input.markedPosition();
        assertTrue(mark > 0 && mark < file.length, "a block start inside the file: " + mark);

        ArrayInput restarted = new ArrayInput(file);
        restarted.seek(mark);
        restarted.mark();
        List<String> rest = bodies(new FlumeDeserializers(FLUME, avro).create(source, "deserializer.", restarted),
                100);
        int from = all.size() - rest.size();
        assertTrue(from > 0 && from <= 12, "continues within the marked block, not from the start: " + from);
        assertEquals(all.subList(from, 30), rest);
    }

    /** An Avro container file of {@code records} records, in blocks of a few records each. */
    private static byte[] avroFile(int records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Schema schema = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Line\",\"fields\":["
                + "{\"name\":\"text\",\"type\":\"string\"}]}");
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(schema))) {
            writer.setSyncInterval(64);
            writer.create(schema, out);
            for (int i = 0; i < records; i++) {
                GenericRecord record = new GenericData.Record(schema);
                record.put("text", "record " + i);
                writer.append(record);
            }
        }
        return out.toByteArray();
    }

    private static List<String> bodies(EventDeserializer deserializer, int most) throws IOException {
        List<String> bodies = new ArrayList<>();
        for (Event event; bodies.size() < most && (event = deserializer.readEvent()) != null; ) {
            bodies.add(new String(event.getBody(), StandardCharsets.ISO_8859_1));
        }
        return bodies;
    }

    private static String body(Event event) {
        return new String(event.getBody(), StandardCharsets.UTF_8);
    }

    /** A file of ASCII text as spooldir offers one: bytes and characters from a position, and a mark. */
    private static final class ArrayInput implements PositionedInput {
        private final byte[] data;
        private int position;
        private long mark;

        ArrayInput(String text) {
            this(text.getBytes(StandardCharsets.US_ASCII));
        }

        ArrayInput(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= data.length) {
                return -1;
            }
            int count = Math.min(length, data.length - position);
            System.arraycopy(data, position, buffer, offset, count);
            position += count;
            return count;
        }

        @Override
        public int readChar() {
            return read();
        }

        @Override
        public void mark() {
            mark = position;
        }

        @Override
        public void markPosition(long position) {
            mark = position;
        }

        @Override
        public long markedPosition() {
            return mark;
        }

        @Override
        public void reset() {
            position = (int) mark;
        }

        @Override
        public long tell() {
            return position;
        }

        @Override
        public void seek(long position) throws IOException {
            if (position > data.length) {
                throw new IOException("beyond the end");
            }
            this.position = (int) position;
        }

        @Override
        public long length() {
            return data.length;
        }
    }
}
