package org.sluice.source.netcat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.event.Event;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.support.guard.RateLimitedLog;
import org.sluice.support.guard.SocketGuard;
import org.sluice.api.testkit.RecordingChannelProcessor;

/**
 * A coverage-guided fuzz target of the netcat source's line reader (issue 15): whatever a client sends, every event
 * is one line without its newline and within max-line-length, and the session ends cleanly.
 */
class NetcatFuzzTest {
    private static final int MAX_LINE_LENGTH = 64;

    /** A connected socket's streams, in memory. */
    private static final class InMemorySocket extends Socket {
        private final InputStream in;
        private final OutputStream out = new ByteArrayOutputStream();

        InMemorySocket(byte[] received) {
            this.in = new ByteArrayInputStream(received);
        }

        @Override
        public InputStream getInputStream() {
            return in;
        }

        @Override
        public OutputStream getOutputStream() {
            return out;
        }

        @Override
        public void setSoTimeout(int timeout) {
            // Nothing blocks in memory.
        }
    }

    @FuzzTest(maxDuration = "10m")
    void lineReader(byte[] received) throws Exception {
        RecordingChannelProcessor channels = new RecordingChannelProcessor();
        ComponentCounters counters = new ComponentCounters("a1", ComponentKind.SOURCE, "r1");
        SocketGuard guard = new SocketGuard("fuzz", 4, 0, open -> { }, LoggerFactory.getLogger(NetcatFuzzTest.class));
        LineSession.Settings settings = new LineSession.Settings("r1", channels, counters, MAX_LINE_LENGTH, true,
                StandardCharsets.UTF_8, new RateLimitedLog(LoggerFactory.getLogger(NetcatFuzzTest.class)));
        try (SocketGuard.Connection connection = guard.accepted(new InMemorySocket(received))) {
            new LineSession(connection, settings).run();
        }
        for (Event event : channels.accepted()) {
            String line = new String(event.getBody(), StandardCharsets.UTF_8);
            if (line.indexOf('\n') >= 0 || line.length() >= MAX_LINE_LENGTH) {
                throw new IllegalStateException("an event that is not one line within the bound: " + line.length());
            }
        }
    }
}
