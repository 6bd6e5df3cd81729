package org.sluice.source.syslog;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.slf4j.Logger;

/**
 * The listening side of the TCP syslog sources: one or more ports, served by a Netty event loop group. Every accepted
 * connection gets the pipeline {@code connectionPipeline} builds. Stopping closes the ports and every connection and
 * ends every thread.
 */
final class SyslogTcpServer {
    private static final long STOP_TIMEOUT_MILLIS = 5000;

    private final String name;
    private final String host;
    private final List<Integer> ports;
    private final int threads;
    private final ChannelHandler acceptHandler;
    private final Consumer<SocketChannel> connectionPipeline;
    private final Logger log;
    private final List<Channel> listening = new ArrayList<>();
    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private ChannelGroup connections;

    /**
     * @param threads       I/O threads for the connections; 0 for Netty's default (twice the cores)
     * @param acceptHandler sees each connection as it is accepted, on the listening channel
     */
    SyslogTcpServer(String name, String host, List<Integer> ports, int threads, ChannelHandler acceptHandler,
            Consumer<SocketChannel> connectionPipeline, Logger log) {
        this.name = name;
        this.host = host;
        this.ports = ports;
        this.threads = threads;
        this.acceptHandler = acceptHandler;
        this.connectionPipeline = connectionPipeline;
        this.log = log;
    }

    void start() throws IOException {
        acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory(name + "-accept", true));
        workers = new NioEventLoopGroup(threads, new DefaultThreadFactory(name + "-io", true));
        connections = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(acceptHandler)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.add(channel);
                        connectionPipeline.accept(channel);
                    }
                });
        for (int port : ports) {
            InetSocketAddress address = host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
            try {
                listening.add(bootstrap.bind(address).syncUninterruptibly().channel());
            } catch (RuntimeException e) {
                stop();
                throw new IOException(name + " could not listen on " + (host.isEmpty() ? "*" : host) + ":" + port
                        + ": " + e.getMessage(), e);
            }
        }
        log.info("{} listening on {}", name, boundAddresses());
    }

    /** The ports listened on, in the configured order (the chosen ones for port 0). */
    List<Integer> boundPorts() {
        List<Integer> bound = new ArrayList<>();
        for (Channel channel : listening) {
            bound.add(((InetSocketAddress) channel.localAddress()).getPort());
        }
        return bound;
    }

    private List<Object> boundAddresses() {
        List<Object> addresses = new ArrayList<>();
        for (Channel channel : listening) {
            addresses.add(channel.localAddress());
        }
        return addresses;
    }

    void stop() {
        for (Channel channel : listening) {
            channel.close().awaitUninterruptibly(STOP_TIMEOUT_MILLIS);
        }
        listening.clear();
        if (connections != null) {
            connections.close().awaitUninterruptibly(STOP_TIMEOUT_MILLIS);
        }
        for (EventLoopGroup group : new EventLoopGroup[] {acceptor, workers}) {
            if (group != null && !group.shutdownGracefully(0, STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(2 * STOP_TIMEOUT_MILLIS)) {
                log.warn("{}: its I/O threads did not end within {} ms", name, 2 * STOP_TIMEOUT_MILLIS);
            }
        }
        acceptor = null;
        workers = null;
    }
}
