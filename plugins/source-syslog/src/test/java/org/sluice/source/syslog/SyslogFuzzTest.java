package org.sluice.source.syslog;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.sluice.api.event.Event;

/**
 * Coverage-guided fuzz targets of the syslog sources' readers: whatever a client sends, the stream decoder never holds
 * or emits more than the event size, and the parser gives every message an event, in both dialects, without throwing.
 * The corpus under src/test/resources replays in the default run; {@code .ci/fuzz} fuzzes for longer.
 */
class SyslogFuzzTest {
    private static final int EVENT_SIZE = 64;
    private static final Clock CLOCK = Clock.systemDefaultZone();

    @FuzzTest(maxDuration = "10m")
    void streamDecoder(byte[] received) {
        // The bytes arrive in reads of sizes taken from the input itself, so framing across reads is exercised.
        EmbeddedChannel channel = new EmbeddedChannel(new SyslogFrameDecoder(EVENT_SIZE, () -> { }));
        int at = 0;
        int step = received.length == 0 ? 1 : 1 + (received[0] & 0x1f);
        while (at < received.length) {
            int length = Math.min(step, received.length - at);
            channel.writeInbound(Unpooled.wrappedBuffer(received, at, length));
            at += length;
        }
        List<SyslogFrame> frames = new ArrayList<>();
        for (Object frame; (frame = channel.readInbound()) != null; ) {
            frames.add((SyslogFrame) frame);
        }
        channel.finishAndReleaseAll();
        long total = 0;
        for (SyslogFrame frame : frames) {
            int length = frame.bytes().length;
            if (length > EVENT_SIZE || (frame.incomplete() != (length == EVENT_SIZE)) || length == 0) {
                throw new IllegalStateException("a frame of " + length + " bytes, incomplete " + frame.incomplete());
            }
            total += length;
            parseBoth(frame.bytes(), frame.incomplete());
        }
        if (total > received.length) {
            throw new IllegalStateException("frames hold more bytes than were received");
        }
    }

    @FuzzTest(maxDuration = "10m")
    void messageParser(byte[] message) {
        parseBoth(message, false);
    }

    private static void parseBoth(byte[] message, boolean incomplete) {
        for (Dialect dialect : Dialect.values()) {
            for (KeepFields keep : List.of(KeepFields.NONE, KeepFields.ALL, KeepFields.parse("priority hostname"))) {
                SyslogParser parser = new SyslogParser(dialect, keep, StandardCharsets.UTF_8, CLOCK);
                Event event = parser.parse(message, 0, message.length, incomplete);
                String status = event.getHeaders().get(Dialect.STATUS);
                if (parser.lastInvalid() != Dialect.INVALID.equals(status)) {
                    throw new IllegalStateException("marked " + status + " but lastInvalid " + parser.lastInvalid());
                }
                if (event.getBody().length > message.length + 2) {
                    throw new IllegalStateException("a body longer than its message");
                }
                if (!parser.lastInvalid() && dialect == Dialect.SINGLE_PORT
                        && !event.getHeaders().containsKey(Dialect.FACILITY)) {
                    throw new IllegalStateException("a valid message without Facility: " + event.getHeaders());
                }
            }
        }
    }
}
