package org.sluice.rpc.avro;

import java.nio.ByteBuffer;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;

/**
 * One message of Avro's Netty transport: the call's serial number and its buffers. A request's buffers are views
 * of the bytes Netty read (no copy); the frame holds those bytes until it is released, which the pipeline does once
 * the call is answered (or dropped unread).
 */
final class Frame extends AbstractReferenceCounted {
    private final int serial;
    private final List<ByteBuffer> buffers;
    private final List<ByteBuf> held;

    /** A frame of buffers that need no release: an answer. */
    Frame(int serial, List<ByteBuffer> buffers) {
        this(serial, buffers, List.of());
    }

    Frame(int serial, List<ByteBuffer> buffers, List<ByteBuf> held) {
        this.serial = serial;
        this.buffers = buffers;
        this.held = held;
    }

    int serial() {
        return serial;
    }

    List<ByteBuffer> buffers() {
        return buffers;
    }

    @Override
    protected void deallocate() {
        for (ByteBuf buf : held) {
            buf.release();
        }
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        for (ByteBuf buf : held) {
            buf.touch(hint);
        }
        return this;
    }
}
