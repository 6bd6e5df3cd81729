package org.sluice.rpc.avro;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.compression.JdkZlibDecoder;
import io.netty.handler.codec.compression.JdkZlibEncoder;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.netty.handler.ipfilter.IpFilterRule;
import io.netty.handler.ipfilter.RuleBasedIpFilter;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.api.source.EventDrivenSource;
import org.sluice.api.source.SourceContext;
import org.sluice.support.guard.RateLimitedLog;
import org.sluice.support.guard.netty.ConnectionGuard;
import org.sluice.support.tls.Tls;

/**
 * Flume's avro source: an Avro RPC server of Flume's AvroSourceProtocol on Netty. The pipeline of a
 * connection is, in Flume's order: IP filter, TLS, deflate, Avro framing (bounded), calls, behind a
 * {@link ConnectionGuard} that closes idle connections and keeps their number bounded. Calls are answered on the
 * connection's I/O thread (see {@link CallHandler}); {@code threads} bounds those threads, as in Flume.
 */
final class AvroSource implements EventDrivenSource {
    /** Flume's logger name, so existing log configurations keep working. */
    static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.source.AvroSource");
    private static final long STOP_GRACE_MILLIS = 2000;

    /** The validated settings of one source. */
    record Settings(String host, int port, int threads, boolean deflate, int compressionLevel, Tls tls,
            List<IpFilterRule> ipFilterRules, long maxFrameBytes, int maxEventsPerRequest, int maxConnections,
            long idleTimeoutMillis) {
    }

    private final String name;
    private final Settings settings;
    private final SourceCounter counter;
    private final CallHandler.Shared calls;
    private ConnectionGuard guard;

    private EventLoopGroup boss;
    private EventLoopGroup io;
    private Channel server;

    AvroSource(SourceContext context, Settings settings) {
        this.name = context.componentName();
        this.settings = settings;
        this.counter = context.counter();
        ChannelProcessor processor = context.channelProcessor();
        EventDelivery delivery = new EventDelivery(name, processor, counter, LOG);
        Supplier<FlumeResponder> responders = () -> new FlumeResponder(name, delivery);
        this.calls = new CallHandler.Shared(name, responders, delivery, counter, settings.maxEventsPerRequest(),
                new RateLimitedLog(LOG), new RateLimitedLog(LOG));
    }

    @Override
    public void start() throws Exception {
        boss = new NioEventLoopGroup(1, threads("boss"));
        // 0 is Netty's default, twice the cores, which is also what Flume's Netty 3 server uses without threads.
        io = new NioEventLoopGroup(settings.threads(), threads("io"));
        ConnectionGuard connections = new ConnectionGuard("Avro source " + name, settings.maxConnections(),
                settings.idleTimeoutMillis(), counter::setOpenConnectionCount, LOG);
        guard = connections;
        ServerBootstrap bootstrap = new ServerBootstrap().group(boss, io).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(connections.acceptOrder())
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        ChannelPipeline pipeline = channel.pipeline();
                        connections.install(pipeline);
                        if (settings.ipFilterRules() != null) {
                            pipeline.addLast("ipFilter",
                                    new RuleBasedIpFilter(settings.ipFilterRules().toArray(new IpFilterRule[0])));
                        }
                        if (settings.tls() != null) {
                            pipeline.addLast("ssl", new SslHandler(settings.tls().newEngine()));
                        }
                        if (settings.deflate()) {
                            // Flume uses JZlib with the zlib wrapper; the JDK's zlib speaks the same format.
                            // The inflater's bound keeps a compressed bomb from outgrowing the frame bound.
                            pipeline.addLast("inflater", new JdkZlibDecoder(ZlibWrapper.ZLIB,
                                    (int) Math.min(Integer.MAX_VALUE, settings.maxFrameBytes())));
                            pipeline.addLast("deflater", new JdkZlibEncoder(ZlibWrapper.ZLIB,
                                    settings.compressionLevel()));
                        }
                        pipeline.addLast("frameDecoder", new FrameDecoder(settings.maxFrameBytes()));
                        pipeline.addLast("frameEncoder", new FrameEncoder());
                        pipeline.addLast("calls", new CallHandler(calls));
                    }
                });
        InetSocketAddress address = settings.host().isEmpty() ? new InetSocketAddress(settings.port())
                : new InetSocketAddress(settings.host(), settings.port());
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            stop();
            throw new IOException("avro source " + name + " could not listen on " + describe() + ": " + cause,
                    cause);
        }
        server = bound.channel();
        LOG.info("Avro source {} started on {}", name, server.localAddress());
    }

    private ThreadFactory threads(String role) {
        AtomicInteger count = new AtomicInteger();
        ClassLoader loader = AvroSource.class.getClassLoader();
        return runnable -> {
            Thread thread = new Thread(runnable, "avro-" + name + "-" + role + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            // Avro's SpecificData looks classes up through the context loader: keep it this bundle's.
            thread.setContextClassLoader(loader);
            return thread;
        };
    }

    /** The port actually listened on (the configured one, or the one chosen for port 0). */
    int localPort() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private String describe() {
        return (settings.host().isEmpty() ? "*" : settings.host()) + ":" + settings.port();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close().awaitUninterruptibly(STOP_GRACE_MILLIS);
        }
        if (guard != null) {
            guard.closeAll();
        }
        // A call in progress on an I/O thread finishes its put (bounded by the channel's own wait) before its
        // thread ends; its answer is dropped with the closed connection, so the client does not hear OK and sends
        // the events again.
        for (EventLoopGroup group : new EventLoopGroup[] {io, boss}) {
            if (group != null && !group.shutdownGracefully(0, STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(2 * STOP_GRACE_MILLIS)) {
                LOG.warn("Avro source {}: Netty threads did not end on stop", name);
            }
        }
        counter.setOpenConnectionCount(0);
        LOG.info("Avro source {} stopped", name);
    }

    @Override
    public String toString() {
        return "avro source " + name + " on " + describe();
    }
}
