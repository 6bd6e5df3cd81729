package org.sluice.rpc.avro;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Reads Avro's Netty framing: {@code int serial, int count}, then {@code count} times {@code int length, bytes}.
 * Unlike Avro's own decoder it bounds the frame: a declared count or length that does not fit in
 * {@code maxFrameBytes} fails the connection at once, before anything is allocated for it, so a client cannot
 * make the source allocate more than the bytes it really sent (and never more than the bound).
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private final long maxFrameBytes;

    /** After a bad frame the connection is closing: what is still buffered or arrives is dropped unread. */
    private boolean failed;
    private boolean inFrame;
    private int serial;
    private int count;
    private long frameBytes;
    private List<ByteBuffer> buffers;
    /** The slices of the frame being read, held until the frame is released (see {@link Frame}). */
    private List<ByteBuf> held;

    FrameDecoder(long maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            decodeFrames(in, out);
        } catch (RuntimeException e) {
            failed = true;
            releasePartialFrame();
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        // The connection closed in the middle of a frame: what was read of it is let go.
        releasePartialFrame();
    }

    private void releasePartialFrame() {
        if (held != null) {
            for (ByteBuf buf : held) {
                buf.release();
            }
            held = null;
            buffers = null;
            inFrame = false;
        }
    }

    private void decodeFrames(ByteBuf in, List<Object> out) {
        while (true) {
            if (!inFrame) {
                if (in.readableBytes() < 8) {
                    return;
                }
                serial = in.readInt();
                count = in.readInt();
                // Every buffer costs at least its 4-byte length word.
                if (count < 0 || 8L + 4L * count > maxFrameBytes) {
                    throw new TooLongFrameException("Avro frame declares " + count + " buffers; at most "
                            + (maxFrameBytes - 8) / 4 + " fit in max-frame-size " + maxFrameBytes);
                }
                frameBytes = 8L + 4L * count;
                buffers = new ArrayList<>(Math.min(count, 64));
                held = new ArrayList<>(Math.min(count, 64));
                inFrame = true;
            }
            while (buffers.size() < count) {
                if (in.readableBytes() < 4) {
                    return;
                }
                int length = in.getInt(in.readerIndex());
                if (length < 0) {
                    throw new CorruptedFrameException("Avro frame buffer of negative length " + length);
                }
                if (frameBytes + length > maxFrameBytes) {
                    throw new TooLongFrameException("Avro frame larger than max-frame-size " + maxFrameBytes
                            + " bytes");
                }
                if (in.readableBytes() < 4 + length) {
                    return;
                }
                in.skipBytes(4);
                // A view of what Netty read, not a copy: it is held (retained) until the frame is released.
                ByteBuf slice = in.readRetainedSlice(length);
                held.add(slice);
                buffers.add(slice.nioBuffer());
                frameBytes += length;
            }
            out.add(new Frame(serial, buffers, held));
            inFrame = false;
            buffers = null;
            held = null;
        }
    }
}
