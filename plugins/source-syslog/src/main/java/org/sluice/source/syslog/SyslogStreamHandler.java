package org.sluice.source.syslog;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.Charset;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;

/**
 * One TCP connection of a syslog source: each message ({@link SyslogFrame}) becomes an event with the connection's
 * headers (port, client address and host name, when configured) and goes to the channels in batches
 * ({@link BatchDelivery}).
 */
final class SyslogStreamHandler extends ChannelInboundHandlerAdapter {

    /** What every connection of one source shares. */
    record Settings(Dialect dialect, KeepFields keepFields, Charset charset, Map<Integer, Charset> portCharsets,
            String portHeader, String clientIpHeader, String clientHostnameHeader, Clock clock, Logger log,
            BatchDelivery.Target target) {
        SourceCounter counter() {
            return target.counter();
        }
    }

    private final Settings settings;
    private final BatchDelivery delivery;
    private SyslogParser parser;
    private Map<String, String> connectionHeaders;

    SyslogStreamHandler(Settings settings) {
        this.settings = settings;
        this.delivery = new BatchDelivery(settings.target());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        int port = ((InetSocketAddress) ctx.channel().localAddress()).getPort();
        Charset charset = settings.portCharsets().getOrDefault(port, settings.charset());
        parser = new SyslogParser(settings.dialect(), settings.keepFields(), charset, settings.clock());
        connectionHeaders = connectionHeaders(settings, port, ctx.channel().remoteAddress());
        super.channelActive(ctx);
    }

    /** The headers every event of a connection or sender gets: the port and the client's address and name. */
    static Map<String, String> connectionHeaders(Settings settings, int port, SocketAddress remote) {
        Map<String, String> headers = new HashMap<>(4);
        if (settings.portHeader() != null) {
            headers.put(settings.portHeader(), Integer.toString(port));
        }
        if (remote instanceof InetSocketAddress client) {
            if (settings.clientIpHeader() != null) {
                headers.put(settings.clientIpHeader(),
                        client.getAddress() == null ? client.getHostString() : client.getAddress().getHostAddress());
            }
            if (settings.clientHostnameHeader() != null) {
                // A reverse lookup, once per connection rather than once per event as in Flume.
                headers.put(settings.clientHostnameHeader(), client.getHostName());
            }
        }
        return headers;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        SyslogFrame frame = (SyslogFrame) msg;
        Event event = parser.parse(frame.bytes(), 0, frame.bytes().length, frame.incomplete());
        delivery.add(ctx, event, parser.lastInvalid(), connectionHeaders);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        delivery.readComplete(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset connection or a failed TLS handshake costs that connection only.
        settings.log().debug("Syslog source {}: closing the connection from {}: {}", settings.target().source(),
                ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
