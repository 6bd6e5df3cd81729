package org.sluice.rpc.avro;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.slf4j.Logger;

/**
 * One client connection's calls, answered in order on the connection's Netty I/O thread, as Flume's avro source
 * answers them (its {@code threads} are Netty's I/O workers, and so are ours). Answering where the request was
 * read costs no thread hand-off in either direction: a profile of avro -> memory -> null showed the two hand-offs
 * of a worker pool (wake a worker, then wake the I/O thread again to write the answer) costing more CPU than
 * decoding the batch. While a call is answered its I/O thread reads nothing, so a client that pipelines requests
 * is held back by TCP instead of piling frames up in memory; a put that waits for a full channel holds back the
 * other connections of the same I/O thread, as in Flume.
 */
final class CallHandler extends SimpleChannelInboundHandler<Frame> {
    private final Supplier<FlumeResponder> responders;
    private final EventDelivery delivery;
    private FlumeResponder responder;
    private final Logger log;
    private final String sourceName;
    private ConnectionState connection;

    CallHandler(String sourceName, Supplier<FlumeResponder> responders, EventDelivery delivery, Logger log) {
        this.sourceName = sourceName;
        this.responders = responders;
        this.delivery = delivery;
        this.log = log;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        connection = new ConnectionState(String.valueOf(ctx.channel().remoteAddress()));
        // A responder per connection: Avro's Responder caches every client protocol a handshake sends, keyed by a
        // hash the client chooses, and never forgets one. Shared by all clients, that cache would grow without
        // bound under clients that send ever new protocols; per connection it holds the one protocol that
        // completed this connection's handshake, and goes with the connection.
        responder = responders.get();
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        if (!ctx.channel().isActive()) {
            // Closed after a bad request while more frames were buffered: they are not answered.
            return;
        }
        List<ByteBuffer> response;
        try {
            DirectCall call = connection.isWireIdentical() ? DirectCall.read(frame.buffers()) : null;
            if (call != null) {
                response = delivery.deliver(call.message(), call.events()) ? FlumeProtocol.OK_ANSWER
                        : FlumeProtocol.FAILED_ANSWER;
            } else {
                RequestGuard.check(frame.buffers(), !connection.isConnected());
                response = responder.respondBounded(frame.buffers(), connection);
            }
        } catch (Exception e) {
            // The request was refused before anything was allocated for it, or Avro could not answer it. Either
            // way the client hears no OK and sends its events again; it loses its connection and nothing else.
            log.warn("Avro source {}: closing the connection from {}: bad request: {}", sourceName,
                    ctx.channel().remoteAddress(), e.toString());
            ctx.close();
            return;
        }
        ctx.writeAndFlush(new Frame(frame.serial(), response));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A broken frame, a failed TLS handshake, a reset: only this connection is affected, and no call of it
        // is half-done (a call reaches the channels whole or not at all).
        log.warn("Avro source {}: closing the connection from {}: {}", sourceName, ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }
}
