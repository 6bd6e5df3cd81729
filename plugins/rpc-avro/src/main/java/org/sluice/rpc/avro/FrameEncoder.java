package org.sluice.rpc.avro;

import java.nio.ByteBuffer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes Avro's Netty framing (see {@link FrameDecoder}). */
final class FrameEncoder extends MessageToByteEncoder<Frame> {
    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
        out.writeInt(frame.serial());
        out.writeInt(frame.buffers().size());
        for (ByteBuffer buffer : frame.buffers()) {
            out.writeInt(buffer.remaining());
            out.writeBytes(buffer.duplicate());
        }
    }
}
