package org.sluice.source.netcat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.SimpleEvent;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.api.source.EventDrivenSource;
import org.sluice.api.source.SourceContext;

/**
 * Receives UDP datagrams on one thread; each becomes an event whose body is the datagram up to its first
 * newline (the rest is ignored, as in Flume), with the sender's address in {@code remoteAddressHeader} if
 * one is configured. UDP has no answer: an event the channels refuse is lost, and counted.
 */
final class NetcatUdpSource implements EventDrivenSource {
    /** Flume's logger name, so existing log configurations keep working. */
    private static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.source.NetcatUdpSource");
    /** The largest UDP payload. */
    private static final int MAX_DATAGRAM = 65_536;
    private static final long STOP_GRACE_MILLIS = 2000;

    private final String name;
    private final String host;
    private final int port;
    private final String remoteAddressHeader;
    private final ChannelProcessor processor;
    private final SourceCounter counter;
    private DatagramSocket socket;
    private Thread receiver;
    private volatile boolean stopping;

    NetcatUdpSource(SourceContext context, String host, int port, String remoteAddressHeader) {
        this.name = context.componentName();
        this.host = host;
        this.port = port;
        this.remoteAddressHeader = remoteAddressHeader;
        this.processor = context.channelProcessor();
        this.counter = context.counter();
    }

    @Override
    public void start() throws IOException {
        try {
            socket = new DatagramSocket(Ports.address(host, port));
        } catch (SocketException | RuntimeException e) {
            throw new IOException("netcatudp source " + name + " could not listen on "
                    + (host.isEmpty() ? "*" : host) + ":" + port + ": " + e.getMessage(), e);
        }
        receiver = new Thread(this::receiveLoop, "netcatudp-" + name);
        receiver.setDaemon(true);
        receiver.start();
        LOG.info("Netcat UDP source {} listening on {}", name, socket.getLocalSocketAddress());
    }

    /** The port actually listened on (the configured one, or the one chosen for port 0). */
    int localPort() {
        return socket.getLocalPort();
    }

    private void receiveLoop() {
        DatagramPacket packet = new DatagramPacket(new byte[MAX_DATAGRAM], MAX_DATAGRAM);
        while (!stopping) {
            try {
                packet.setLength(MAX_DATAGRAM);
                socket.receive(packet);
            } catch (IOException e) {
                if (!stopping) {
                    counter.incrementEventReadFail();
                    LOG.warn("Netcat UDP source {} could not receive a datagram", name, e);
                }
                continue;
            }
            handle(packet);
        }
    }

    private void handle(DatagramPacket packet) {
        byte[] data = packet.getData();
        int from = packet.getOffset();
        int to = from + packet.getLength();
        int lineEnd = from;
        while (lineEnd < to && data[lineEnd] != '\n') {
            lineEnd++;
        }
        Map<String, String> headers = new HashMap<>();
        if (remoteAddressHeader != null) {
            headers.put(remoteAddressHeader, packet.getSocketAddress().toString());
        }
        counter.addToEventReceivedCount(1);
        try {
            processor.processEvent(new SimpleEvent(Arrays.copyOfRange(data, from, lineEnd), headers));
        } catch (ChannelException e) {
            counter.incrementChannelWriteFail();
            LOG.error("Netcat UDP source {}: the channels refused a datagram from {}; it is lost (UDP cannot ask "
                    + "for it again)", name, packet.getSocketAddress(), e);
            return;
        } catch (RuntimeException e) {
            counter.incrementGenericProcessingFail();
            LOG.error("Netcat UDP source {}: processing a datagram from {} failed; it is lost", name,
                    packet.getSocketAddress(), e);
            return;
        }
        counter.addToEventAcceptedCount(1);
    }

    @Override
    public void stop() {
        stopping = true;
        if (socket != null) {
            socket.close();
        }
        if (receiver != null) {
            receiver.interrupt();
            try {
                receiver.join(STOP_GRACE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (receiver.isAlive()) {
                LOG.warn("Netcat UDP source {}: the receiving thread did not end on stop", name);
            }
        }
        LOG.info("Netcat UDP source {} stopped", name);
    }

    @Override
    public String toString() {
        return "netcatudp source " + name + " on " + (host.isEmpty() ? "*" : host) + ":" + port;
    }
}
