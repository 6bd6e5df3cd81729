package org.sluice.rpc.avro;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.sluice.api.counter.SourceCounter;
import org.sluice.support.guard.DecodeBudget;
import org.sluice.support.guard.RateLimitedLog;
import org.sluice.support.guard.RequestTooLargeException;
import org.sluice.support.guard.UntrustedText;

/**
 * One client connection's calls, answered in order on the connection's Netty I/O thread, as Flume's avro source
 * answers them (its {@code threads} are Netty's I/O workers, and so are ours). Answering where the request was
 * read costs no thread hand-off in either direction: a profile of avro -> memory -> null showed the two hand-offs
 * of a worker pool (wake a worker, then wake the I/O thread again to write the answer) costing more CPU than
 * decoding the batch. While a call is answered its I/O thread reads nothing, so a client that pipelines requests
 * is held back by TCP instead of piling frames up in memory; a put that waits for a full channel holds back the
 * other connections of the same I/O thread, as in Flume.
 *
 * <p>What a request may decode to is bounded ({@link DecodeBudget}): beyond it the request is refused for that
 * client alone, counted as EventReadFail and logged (at most once per interval). The connection stays open and the
 * client is told why (Flume's client raises the reason); on the generic path it hears FAILED.
 */
final class CallHandler extends SimpleChannelInboundHandler<Frame> {
    /** What the handlers of one source share. */
    record Shared(String sourceName, Supplier<FlumeResponder> responders, EventDelivery delivery,
            SourceCounter counter, int maxEventsPerRequest, RateLimitedLog refusals, RateLimitedLog badRequests) {
    }

    private final Shared shared;
    private FlumeResponder responder;
    private ConnectionState connection;

    CallHandler(Shared shared) {
        this.shared = shared;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        connection = new ConnectionState(String.valueOf(ctx.channel().remoteAddress()));
        // A responder per connection: Avro's Responder caches every client protocol a handshake sends, keyed by a
        // hash the client chooses, and never forgets one. Shared by all clients, that cache would grow without
        // bound under clients that send ever new protocols; per connection it holds the one protocol that
        // completed this connection's handshake, and goes with the connection.
        responder = shared.responders().get();
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        if (!ctx.channel().isActive()) {
            // Closed after a bad request while more frames were buffered: they are not answered.
            return;
        }
        List<ByteBuffer> response;
        DecodeBudget budget = DecodeBudget.forRequest("avro request", shared.maxEventsPerRequest(),
                RequestGuard.size(frame.buffers()));
        try {
            DirectCall call = connection.isWireIdentical() ? DirectCall.read(frame.buffers(), budget) : null;
            if (call != null) {
                response = shared.delivery().deliver(call.message(), call.events()) ? FlumeProtocol.OK_ANSWER
                        : FlumeProtocol.FAILED_ANSWER;
            } else {
                RequestGuard.check(frame.buffers(), !connection.isConnected(), budget);
                response = responder.respondBounded(frame.buffers(), connection, budget);
                RuntimeException refused = responder.takeRefusal();
                if (refused != null) {
                    refused(ctx, refused);
                }
            }
        } catch (RequestTooLargeException e) {
            // The whole frame was received, so the connection is still in step: the client is told why and may
            // send smaller batches on it.
            refused(ctx, e);
            response = FlumeProtocol.errorAnswer(e.getMessage());
        } catch (Exception e) {
            // The request was refused before anything was allocated for it, or Avro could not answer it. Either
            // way the client hears no OK and sends its events again; it loses its connection and nothing else.
            shared.counter().incrementEventReadFail();
            shared.badRequests().warn("Avro source {}: closing the connection from {}: bad request: {}",
                    shared.sourceName(), ctx.channel().remoteAddress(), UntrustedText.forLog(e.toString(), 300));
            ctx.close();
            return;
        }
        ctx.writeAndFlush(new Frame(frame.serial(), response));
    }

    private void refused(ChannelHandlerContext ctx, RuntimeException e) {
        shared.counter().incrementEventReadFail();
        shared.refusals().warn("Avro source {}: {} (from {}); nothing of it was accepted", shared.sourceName(),
                UntrustedText.forLog(e.getMessage(), 300), ctx.channel().remoteAddress());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A broken frame, a failed TLS handshake, a reset: only this connection is affected, and no call of it
        // is half-done (a call reaches the channels whole or not at all).
        shared.badRequests().warn("Avro source {}: closing the connection from {}: {}", shared.sourceName(),
                ctx.channel().remoteAddress(), UntrustedText.forLog(cause.toString(), 300));
        ctx.close();
    }
}
