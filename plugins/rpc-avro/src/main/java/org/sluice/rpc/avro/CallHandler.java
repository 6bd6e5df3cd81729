package org.sluice.rpc.avro;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.slf4j.Logger;

/**
 * One client connection's calls. Calls are answered on the source's worker pool, never on a Netty I/O thread
 * (a put into a full channel may wait), one at a time and in order per connection, which is what Avro's
 * handshake state needs. While a call is being answered the connection stops reading, so a client that
 * pipelines requests is held back by TCP instead of piling frames up in memory.
 */
final class CallHandler extends SimpleChannelInboundHandler<Frame> {
    private final Supplier<FlumeResponder> responders;
    private FlumeResponder responder;
    private final Executor workers;
    private final Logger log;
    private final String sourceName;
    private final ArrayDeque<Frame> pending = new ArrayDeque<>();
    private ConnectionState connection;
    private boolean busy;

    CallHandler(String sourceName, Supplier<FlumeResponder> responders, Executor workers, Logger log) {
        this.sourceName = sourceName;
        this.responders = responders;
        this.workers = workers;
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
        boolean start;
        // Reading is switched off and on under the same lock as the queue, so a drain that just finished cannot
        // switch reading back on after a newer frame switched it off.
        synchronized (this) {
            pending.add(frame);
            start = !busy;
            busy = true;
            ctx.channel().config().setAutoRead(false);
        }
        if (start) {
            try {
                workers.execute(() -> drain(ctx));
            } catch (RejectedExecutionException e) {
                // Only while the source stops: the call is not answered and the client sends it again.
                log.debug("Avro source {}: stopping, closing the connection from {} without answering", sourceName,
                        ctx.channel().remoteAddress(), e);
                ctx.close();
            }
        }
    }

    private void drain(ChannelHandlerContext ctx) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Avro's Responder reads its handshake records through SpecificData; keep its class lookups in this bundle.
        thread.setContextClassLoader(CallHandler.class.getClassLoader());
        try {
            while (true) {
                Frame frame;
                synchronized (this) {
                    frame = pending.poll();
                    if (frame == null) {
                        busy = false;
                        if (ctx.channel().isActive()) {
                            ctx.channel().config().setAutoRead(true);
                        }
                        return;
                    }
                }
                if (!answer(ctx, frame)) {
                    synchronized (this) {
                        pending.clear();
                        busy = false;
                    }
                    return;
                }
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Answers one call; false if the connection was closed because the request was bad. */
    private boolean answer(ChannelHandlerContext ctx, Frame frame) {
        List<ByteBuffer> response;
        try {
            RequestGuard.check(frame.buffers(), !connection.isConnected());
            response = responder.respondBounded(frame.buffers(), connection);
        } catch (Exception e) {
            // The guard refused the request before Avro read it, or Avro could not answer it. Either way the
            // client hears no OK and sends its events again; it loses its connection and nothing else.
            log.warn("Avro source {}: closing the connection from {}: bad request: {}", sourceName,
                    ctx.channel().remoteAddress(), e.toString());
            ctx.close();
            return false;
        }
        ctx.writeAndFlush(new Frame(frame.serial(), response));
        return true;
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
