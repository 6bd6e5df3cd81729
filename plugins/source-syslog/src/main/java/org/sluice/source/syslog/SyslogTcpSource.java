package org.sluice.source.syslog;

import java.io.IOException;
import java.util.List;

import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.source.EventDrivenSource;
import org.sluice.support.guard.netty.ConnectionGuard;
import org.sluice.support.tls.Tls;

/**
 * The {@code syslogtcp} and {@code multiport_syslogtcp} sources: syslog messages over TCP on one or more ports, each
 * connection with the pipeline [idle detector] - {@link ConnectionGuard} - [TLS] - {@link SyslogFrameDecoder} -
 * {@link SyslogStreamHandler}. The guard keeps the connections within {@code max-connections} by closing the one idle
 * the longest, and closes one idle for {@code idle-timeout}.
 */
final class SyslogTcpSource implements EventDrivenSource {
    /** Sluice's counter of messages cut at the event size (marked Incomplete). */
    static final String INCOMPLETE_COUNTER = "EventIncompleteCount";

    private final String description;
    private final SyslogTcpServer server;
    private final SyslogStreamHandler.Settings settings;
    private final Logger log;

    /**
     * @param tls           TLS of every connection, or null for plain TCP
     * @param bounds        how many connections at once, and how long one may be idle
     * @param eventSize     Flume's eventSize: messages of this size or more are cut
     */
    SyslogTcpSource(String description, String host, List<Integer> ports, int threads, int eventSize,
            SyslogStreamHandler.Settings settings, Tls tls, SyslogKeys.ConnectionBounds bounds) {
        this.description = description;
        this.settings = settings;
        this.log = settings.log();
        SourceCounter counter = settings.counter();
        Runnable incomplete = () -> counter.add(INCOMPLETE_COUNTER, 1);
        ConnectionGuard guard = new ConnectionGuard(description, bounds.maxConnections(), bounds.idleTimeoutMillis(),
                counter::setOpenConnectionCount, log);
        this.server = new SyslogTcpServer(description, host, ports, threads, guard.acceptOrder(),
                (SocketChannel channel) -> {
                    ChannelPipeline pipeline = channel.pipeline();
                    guard.install(pipeline);
                    if (tls != null) {
                        pipeline.addLast("tls", new SslHandler(tls.newEngine()));
                    }
                    pipeline.addLast("frames", new SyslogFrameDecoder(eventSize, incomplete));
                    pipeline.addLast("events", new SyslogStreamHandler(settings));
                }, log);
    }

    @Override
    public void start() throws IOException {
        server.start();
    }

    /** The ports listened on (the chosen ones for port 0). */
    List<Integer> ports() {
        return server.boundPorts();
    }

    @Override
    public void stop() {
        server.stop();
        settings.target().reportLost(description);
        log.info("{} stopped", description);
    }

    @Override
    public String toString() {
        return description;
    }
}
