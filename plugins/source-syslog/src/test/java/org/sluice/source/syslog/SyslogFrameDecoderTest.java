package org.sluice.source.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** Both framings of RFC 6587 on one stream, and the event size bound. */
class SyslogFrameDecoderTest {
    private final AtomicInteger cut = new AtomicInteger();

    private List<SyslogFrame> decode(int eventSize, boolean byteByByte, String... chunks) {
        EmbeddedChannel channel = new EmbeddedChannel(new SyslogFrameDecoder(eventSize, cut::incrementAndGet));
        for (String chunk : chunks) {
            byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
            if (byteByByte) {
                for (byte b : bytes) {
                    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
                }
            } else {
                channel.writeInbound(Unpooled.wrappedBuffer(bytes));
            }
        }
        List<SyslogFrame> frames = new ArrayList<>();
        for (Object frame; (frame = channel.readInbound()) != null; ) {
            frames.add((SyslogFrame) frame);
        }
        channel.finishAndReleaseAll();
        return frames;
    }

    private static List<String> texts(List<SyslogFrame> frames) {
        List<String> texts = new ArrayList<>();
        for (SyslogFrame frame : frames) {
            texts.add(new String(frame.bytes(), StandardCharsets.UTF_8) + (frame.incomplete() ? "|cut" : ""));
        }
        return texts;
    }

    @Test
    void linesEndAtLfWithoutTheirCrAndEmptyLinesAreSkipped() {
        for (boolean byteByByte : new boolean[] {false, true}) {
            assertEquals(List.of("<13>one", "<13>two", "<13>three"),
                    texts(decode(100, byteByByte, "<13>one\n<13>two\r\n\n\r\n<13>thr", "ee\n<13>unfinished")));
        }
    }

    @Test
    void octetCountedFramesAndLinesOnOneConnection() {
        String frame = "<165>1 2003-10-11T22:14:15.003Z host app - - - with a\nnewline inside";
        int length = frame.getBytes(StandardCharsets.UTF_8).length;
        for (boolean byteByByte : new boolean[] {false, true}) {
            assertEquals(List.of(frame, "<13>a line", frame),
                    texts(decode(1000, byteByByte, length + " " + frame + "<13>a line\n" + length + " " + frame)));
        }
    }

    @Test
    void aLineAsLongAsTheEventSizeIsCutAndItsRestIsTheNextMessage() {
        assertEquals(List.of("<13>45678", "<13>456789|cut"), texts(decode(10, false, "<13>45678\n<13>456789\n")));
        assertEquals(List.of("<13>4567890|cut", "abc"), texts(decode(11, true, "<13>4567890abc\n")));
        assertEquals(2, cut.get());
    }

    @Test
    void aLongOctetCountedFrameIsCutAndItsRestSkipped() {
        assertEquals(List.of("<13>45678|cut", "<13>next"), texts(decode(9, false, "12 <13>4567890a<13>next\n")));
        assertEquals(List.of("<13>45678|cut", "<13>next"), texts(decode(9, true, "12 <13>4567890a<13>next\n")));
    }

    @Test
    void digitsThatAreNoLengthMakeALine() {
        assertEquals(List.of("12x34 text", "1234567890123 x"), texts(decode(100, false, "12x34 text\n1234567890123 x\n")));
    }

    @Test
    void nothingIsHeldBeyondTheEventSize() {
        List<SyslogFrame> frames = decode(64, false, "x".repeat(1000));
        assertEquals(15, frames.size());
        for (SyslogFrame frame : frames) {
            assertTrue(frame.incomplete());
            assertEquals(64, frame.bytes().length);
        }
        assertFalse(decode(64, false, "<13>short").iterator().hasNext());
    }
}
