package org.sluice.flume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.format.EventDeserializer;
import org.sluice.api.format.PositionedInput;
import org.sluice.testkit.TestContexts;

/**
 * spooldir's deserializer from a Flume plugin, exercised with Flume 1.11.0's own LineDeserializer as the plugin: built
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

    private static String body(Event event) {
        return new String(event.getBody(), StandardCharsets.UTF_8);
    }

    /** A file of ASCII text as spooldir offers one: bytes and characters from a position, and a mark. */
    private static final class ArrayInput implements PositionedInput {
        private final byte[] data;
        private int position;
        private long mark;

        ArrayInput(String text) {
            this.data = text.getBytes(StandardCharsets.US_ASCII);
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
