package org.sluice.source.netcat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.sluice.api.channel.ChannelException;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.support.guard.SocketGuard;

/**
 * One client of the netcat source, with Flume's protocol: every line ending in {@code \n} is one event
 * whose body is the line without the newline, in UTF-8. Each line is answered {@code OK} when the channels
 * accepted it (if ack-every-event) or {@code FAILED: <reason>} when they refused it; the connection stays
 * open. A line longer than max-line-length characters (newline included) is answered
 * {@code FAILED: Event exceeds the maximum length (N chars, including newline)} and the connection closed.
 * Text after the last newline when the client closes is not a line and is dropped, as in Flume.
 *
 * <p>The line buffer starts small and grows, up to max-line-length, only as a line's characters arrive: what a
 * connection holds is what its client sent, never the configured maximum (Flume allocates the maximum for every
 * connection). A connection that sends nothing for the idle timeout is closed.
 */
final class LineSession implements Runnable {

    /** What every session of one source shares. */
    record Settings(String source, ChannelProcessor processor, SourceCounter counter, int maxLineLength,
            boolean ackEveryEvent, Charset charset, org.sluice.support.guard.RateLimitedLog oversized) {
    }

    /** The line buffer of a new connection, in characters; it doubles as lines need, up to max-line-length. */
    static final int INITIAL_BUFFER_CHARS = 1024;

    private final SocketGuard.Connection connection;
    private final Socket socket;
    private final Settings settings;
    /** Answers to the lines of one read, sent together. */
    private final StringBuilder answers = new StringBuilder();

    LineSession(SocketGuard.Connection connection, Settings settings) {
        this.connection = connection;
        this.socket = connection.socket();
        this.settings = settings;
    }

    @Override
    public void run() {
        try {
            // The reader replaces malformed input rather than failing the whole connection.
            Reader in = new InputStreamReader(socket.getInputStream(), settings.charset());
            Writer out = new OutputStreamWriter(socket.getOutputStream(), settings.charset());
            serve(in, out);
        } catch (SocketTimeoutException e) {
            NetcatTcpSource.LOG.debug("Netcat source {}: closing connection {}: idle for longer than idle-timeout",
                    settings.source(), socket.getRemoteSocketAddress());
        } catch (IOException e) {
            // The client went away or the source is stopping; every line answered OK was accepted.
            NetcatTcpSource.LOG.debug("Netcat source {}: connection {} ended: {}", settings.source(),
                    socket.getRemoteSocketAddress(), e.toString());
        }
    }

    private void serve(Reader in, Writer out) throws IOException {
        int maxLineLength = settings.maxLineLength();
        char[] buffer = new char[Math.min(maxLineLength, INITIAL_BUFFER_CHARS)];
        int start = 0;
        int end = 0;
        while (true) {
            if (end == buffer.length) {
                if (start > 0) {
                    System.arraycopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                } else if (buffer.length < maxLineLength) {
                    buffer = java.util.Arrays.copyOf(buffer, (int) Math.min(maxLineLength, 2L * buffer.length));
                } else {
                    settings.counter().incrementEventReadFail();
                    out.write("FAILED: Event exceeds the maximum length (" + maxLineLength
                            + " chars, including newline)\n");
                    out.flush();
                    settings.oversized().warn("Netcat source {}: client {} sent a line longer than {} chars; "
                            + "closing the connection", settings.source(), socket.getRemoteSocketAddress(),
                            maxLineLength);
                    return;
                }
            }
            int read = in.read(buffer, end, buffer.length - end);
            if (read < 0) {
                return;
            }
            connection.touch();
            int scanFrom = end;
            end += read;
            for (int i = scanFrom; i < end; i++) {
                if (buffer[i] == '\n') {
                    handleLine(new String(buffer, start, i - start));
                    start = i + 1;
                }
            }
            if (start == end) {
                start = 0;
                end = 0;
            }
            if (answers.length() > 0) {
                out.append(answers);
                out.flush();
                answers.setLength(0);
                connection.touch();
            }
        }
    }

    private void handleLine(String line) {
        SourceCounter counter = settings.counter();
        Event event = new SimpleEvent(line.getBytes(StandardCharsets.UTF_8), null);
        counter.addToEventReceivedCount(1);
        try {
            settings.processor().processEvent(event);
        } catch (ChannelException e) {
            // Nothing was kept; the answer tells the client to send the line again.
            counter.incrementChannelWriteFail();
            NetcatTcpSource.LOG.warn("Netcat source {}: the channels refused a line: {}", settings.source(),
                    e.getMessage());
            answers.append("FAILED: ").append(e.getMessage()).append('\n');
            return;
        } catch (RuntimeException e) {
            counter.incrementGenericProcessingFail();
            NetcatTcpSource.LOG.error("Netcat source {}: processing a line failed", settings.source(), e);
            answers.append("FAILED: ").append(e).append('\n');
            return;
        }
        counter.addToEventAcceptedCount(1);
        if (settings.ackEveryEvent()) {
            answers.append("OK\n");
        }
    }
}
