package org.sluice.support.guard.netty;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.sluice.support.guard.RateLimitedLog;

/**
 * The connections of one server, so that idle sockets cannot exhaust it: a connection that neither reads nor writes
 * for the idle timeout is closed, and when a new connection would exceed the bound, the connection idle the longest
 * is closed to make room. A busy client is never the longest idle, so any number of idle sockets can delay a real
 * client by nothing more than one accept. Also keeps the open count for Flume's OpenConnectionCount.
 *
 * <p>One instance per server, shared by its connections; {@link #install} adds it (and Netty's idle detector)
 * at the head of a new connection's pipeline, and {@link #acceptOrder()} goes on the listening channel
 * ({@code ServerBootstrap.handler}) so that a connection's idle time starts when it is accepted. Without it a
 * connection is stamped when it becomes active, which happens on its own I/O thread: in a burst of idle sockets a
 * real client accepted last can become active before idle sockets accepted earlier, look like the one idle the
 * longest to them, and be closed before its first byte is read.
 */
@ChannelHandler.Sharable
public final class ConnectionGuard extends ChannelDuplexHandler {
    private static final AttributeKey<long[]> LAST_ACTIVE = AttributeKey.valueOf("sluice.lastActive");
    private static final ChannelHandler ACCEPT_ORDER = new AcceptOrder();

    private final String server;
    private final int maxConnections;
    private final long idleTimeoutMillis;
    private final IntConsumer openCount;
    private final RateLimitedLog evictions;
    private final Logger log;
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();

    /**
     * @param server            how the server is named in log lines ({@code "avro source r1"})
     * @param maxConnections    the most connections open at once
     * @param idleTimeoutMillis how long a connection may neither read nor write; 0 for never
     * @param openCount         told the number of open connections whenever it changes
     */
    public ConnectionGuard(String server, int maxConnections, long idleTimeoutMillis, IntConsumer openCount,
            Logger log) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        }
        this.server = server;
        this.maxConnections = maxConnections;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.openCount = openCount;
        this.log = log;
        this.evictions = new RateLimitedLog(log);
    }

    /**
     * The handler for the listening channel ({@code ServerBootstrap.handler}): it sees each new connection on the
     * accepting thread, in the order they were accepted, and stamps it before the connection is handed to its I/O
     * thread.
     */
    public ChannelHandler acceptOrder() {
        return ACCEPT_ORDER;
    }

    @ChannelHandler.Sharable
    private static final class AcceptOrder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof Channel) {
                ((Channel) msg).attr(LAST_ACTIVE).setIfAbsent(new long[] {System.nanoTime()});
            }
            super.channelRead(ctx, msg);
        }
    }

    /** Adds the idle detector and this guard at the head of {@code pipeline}. */
    public void install(ChannelPipeline pipeline) {
        if (idleTimeoutMillis > 0) {
            pipeline.addFirst("idleDetector", new IdleStateHandler(0, 0, idleTimeoutMillis, TimeUnit.MILLISECONDS));
            pipeline.addAfter("idleDetector", "connectionGuard", this);
        } else {
            pipeline.addFirst("connectionGuard", this);
        }
    }

    /** Connections open now. */
    public int openConnections() {
        return open.size();
    }

    /** Closes every open connection (the server is stopping). */
    public void closeAll() {
        for (Channel channel : open) {
            channel.close();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        Channel channel = ctx.channel();
        // Stamped at accept already when the listening channel has acceptOrder(); otherwise now.
        channel.attr(LAST_ACTIVE).setIfAbsent(new long[] {System.nanoTime()});
        open.add(channel);
        while (open.size() > maxConnections) {
            Channel idlest = longestIdle(channel);
            // Taken out of the set now, not when its close completes, so the next connection evicts another one.
            if (idlest != null && open.remove(idlest)) {
                evictions.warn("{}: {} connections are open, the most allowed (max-connections); closing the one "
                        + "idle the longest, from {}, to make room", server, maxConnections, idlest.remoteAddress());
                idlest.close();
            } else if (idlest == null) {
                break;
            }
        }
        countChanged();
        super.channelActive(ctx);
    }

    /** Connections open and close on several I/O threads: the last count told must be the latest. */
    private synchronized void countChanged() {
        openCount.accept(open.size());
    }

    private Channel longestIdle(Channel except) {
        Channel idlest = null;
        long oldest = 0;
        for (Channel channel : open) {
            long[] last = channel.attr(LAST_ACTIVE).get();
            if (channel == except || last == null) {
                continue;
            }
            if (idlest == null || last[0] - oldest < 0) {
                idlest = channel;
                oldest = last[0];
            }
        }
        return idlest;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (open.remove(ctx.channel())) {
            countChanged();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        touch(ctx);
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        touch(ctx);
        super.write(ctx, msg, promise);
    }

    private static void touch(ChannelHandlerContext ctx) {
        long[] last = ctx.channel().attr(LAST_ACTIVE).get();
        if (last != null) {
            last[0] = System.nanoTime();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            log.debug("{}: closing the connection from {}: idle for {} ms (idle-timeout)", server,
                    ctx.channel().remoteAddress(), idleTimeoutMillis);
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }
}
