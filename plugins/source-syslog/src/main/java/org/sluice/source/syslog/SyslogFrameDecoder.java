package org.sluice.source.syslog;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Splits a syslog TCP stream into messages, telling the two framings of RFC 6587 apart by each message's first byte,
 * so one connection may even mix them:
 *
 * <ul>
 * <li>a message starts with {@code <}: non-transparent framing, the message ends at the next {@code LF} (a
 * {@code CR} before it is dropped). This is the only framing Flume reads.</li>
 * <li>a message starts with a digit: octet counting, {@code LENGTH SP MESSAGE}, LENGTH being the decimal number of
 * bytes of MESSAGE (what rsyslog sends with {@code TCP_Framing="octet-counted"} and {@code logger --octet-count}).
 * Up to nine digits; anything else there makes the bytes a line like any other. A line end at the end of MESSAGE
 * is dropped: rsyslog's RFC 5424 template puts one there.</li>
 * </ul>
 *
 * <p>Bounds, as Flume's: a message of {@code eventSize} bytes or more is cut after {@code eventSize} bytes and passed
 * on marked incomplete. The rest of a cut line is read as the next message (Flume then marks it Invalid); the rest of
 * a cut octet-counted frame, whose end is known, is skipped. So a connection never holds more than
 * {@code eventSize} bytes of a message, whatever a client sends. Empty lines are skipped.
 */
final class SyslogFrameDecoder extends ByteToMessageDecoder {
    private static final int MAX_LENGTH_DIGITS = 9;

    private final int eventSize;
    private final Runnable incompleteCounter;
    /** Bytes of a cut octet-counted frame still to skip. */
    private long skipping;

    /**
     * @param eventSize         the most bytes a message may have less one; longer ones are cut
     * @param incompleteCounter told of every message cut
     */
    SyslogFrameDecoder(int eventSize, Runnable incompleteCounter) {
        this.eventSize = eventSize;
        this.incompleteCounter = incompleteCounter;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (skipping > 0) {
                int skipped = (int) Math.min(skipping, in.readableBytes());
                in.skipBytes(skipped);
                skipping -= skipped;
                continue;
            }
            byte first = in.getByte(in.readerIndex());
            if (first == '\n' || first == '\r') {
                in.skipBytes(1);
                continue;
            }
            boolean progressed = first >= '1' && first <= '9' ? octetCounted(in, out) : line(in, out);
            if (!progressed) {
                return;
            }
        }
    }

    /** Reads one octet-counted frame, or the line it turns out to be. False when more bytes are needed. */
    private boolean octetCounted(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int available = in.readableBytes();
        long length = 0;
        int i = 0;
        for (; i < available && i <= MAX_LENGTH_DIGITS; i++) {
            byte b = in.getByte(start + i);
            if (b == ' ') {
                break;
            }
            if (b < '0' || b > '9') {
                return line(in, out);
            }
            length = length * 10 + (b - '0');
        }
        if (i > MAX_LENGTH_DIGITS) {
            return line(in, out);
        }
        if (i == available) {
            return false; // the length is not complete yet
        }
        int headerLength = i + 1;
        if (length >= eventSize) {
            if (available - headerLength < eventSize) {
                return false;
            }
            in.skipBytes(headerLength);
            out.add(new SyslogFrame(read(in, eventSize), true));
            incompleteCounter.run();
            skipping = length - eventSize;
            return true;
        }
        if (available - headerLength < length) {
            return false;
        }
        in.skipBytes(headerLength);
        byte[] frame = read(in, (int) length);
        int end = withoutLineEnd(frame);
        if (end > 0) {
            out.add(new SyslogFrame(end == frame.length ? frame : java.util.Arrays.copyOf(frame, end), false));
        }
        return true;
    }

    /** Reads one LF-terminated line. False when more bytes are needed. */
    private boolean line(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int searched = Math.min(in.readableBytes(), eventSize);
        int newline = in.indexOf(start, start + searched, (byte) '\n');
        if (newline >= 0) {
            int length = newline - start;
            int end = length > 0 && in.getByte(newline - 1) == '\r' ? newline - 1 : newline;
            if (end > start) {
                out.add(new SyslogFrame(read(in, end - start), false));
            }
            in.skipBytes(newline + 1 - in.readerIndex());
            return true;
        }
        if (searched == eventSize) {
            out.add(new SyslogFrame(read(in, eventSize), true));
            incompleteCounter.run();
            return true;
        }
        return false;
    }

    /** The length of a frame without the line end some senders put inside it (rsyslog's RFC 5424 template). */
    private static int withoutLineEnd(byte[] frame) {
        int end = frame.length;
        if (end > 0 && frame[end - 1] == '\n') {
            end--;
            if (end > 0 && frame[end - 1] == '\r') {
                end--;
            }
        }
        return end;
    }

    private static byte[] read(ByteBuf in, int length) {
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return bytes;
    }
}
