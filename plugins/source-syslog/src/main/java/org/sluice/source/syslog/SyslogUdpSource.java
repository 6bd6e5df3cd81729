package org.sluice.source.syslog;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.sluice.api.event.Event;
import org.sluice.api.source.EventDrivenSource;

/**
 * The {@code syslogudp} source: one event per datagram, the whole datagram but a trailing line end (Flume stops at
 * the first LF and drops the rest, and reads at most 2048 bytes of a datagram: its Netty default). Datagrams up to
 * the largest UDP payload are read whole. One thread reads and delivers.
 */
final class SyslogUdpSource implements EventDrivenSource {
    /** The largest UDP payload. */
    static final int MAX_DATAGRAM = 65_507;
    private static final long STOP_TIMEOUT_MILLIS = 5000;

    private final String description;
    private final String host;
    private final int port;
    private final SyslogStreamHandler.Settings settings;
    private final Logger log;
    private EventLoopGroup group;
    private Channel channel;

    SyslogUdpSource(String description, String host, int port, SyslogStreamHandler.Settings settings) {
        this.description = description;
        this.host = host;
        this.port = port;
        this.settings = settings;
        this.log = settings.log();
    }

    @Override
    public void start() throws IOException {
        group = new NioEventLoopGroup(1, new DefaultThreadFactory(description.replace(' ', '-'), true));
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM + 1))
                .handler(new DatagramHandler());
        InetSocketAddress address = host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        try {
            channel = bootstrap.bind(address).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            stop();
            throw new IOException(description + " could not listen on " + (host.isEmpty() ? "*" : host) + ":" + port
                    + ": " + e.getMessage(), e);
        }
        log.info("{} listening on {}", description, channel.localAddress());
    }

    /** The port listened on (the chosen one for port 0). */
    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void stop() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(STOP_TIMEOUT_MILLIS);
            channel = null;
        }
        if (group != null && !group.shutdownGracefully(0, STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(2 * STOP_TIMEOUT_MILLIS)) {
            log.warn("{}: its thread did not end within {} ms", description, 2 * STOP_TIMEOUT_MILLIS);
        }
        group = null;
        settings.target().reportLost(description);
        log.info("{} stopped", description);
    }

    @Override
    public String toString() {
        return description;
    }

    /** Parses each datagram into an event; the sender's headers are worked out once per sender in a row. */
    private final class DatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final BatchDelivery delivery = new BatchDelivery(settings.target());
        private SyslogParser parser;
        private SocketAddress lastSender;
        private Map<String, String> senderHeaders;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            parser = new SyslogParser(settings.dialect(), settings.keepFields(), settings.charset(), settings.clock());
            super.channelActive(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            int length = content.readableBytes();
            if (length > MAX_DATAGRAM) {
                // Only a datagram larger than UDP allows over IPv4 (IPv6 jumbograms): cut, as any oversized message.
                length = MAX_DATAGRAM;
            }
            byte[] bytes = new byte[length];
            content.getBytes(content.readerIndex(), bytes);
            int end = length;
            if (end > 0 && bytes[end - 1] == '\n') {
                end--;
                if (end > 0 && bytes[end - 1] == '\r') {
                    end--;
                }
            }
            if (end == 0) {
                return;
            }
            Event event = parser.parse(bytes, 0, end, false);
            if (!packet.sender().equals(lastSender)) {
                lastSender = packet.sender();
                senderHeaders = SyslogStreamHandler.connectionHeaders(settings, port, lastSender);
            }
            delivery.add(ctx, event, parser.lastInvalid(), senderHeaders);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            delivery.readComplete(ctx);
            ctx.fireChannelReadComplete();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // An ICMP error for a datagram sent earlier, or a read failure: the socket goes on.
            settings.counter().incrementEventReadFail();
            log.debug("{}: {}", description, cause.toString());
        }
    }
}
