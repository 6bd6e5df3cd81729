package org.sluice.support.guard.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ConnectionGuardTest {

    private static EmbeddedChannel connect(ConnectionGuard guard) {
        return new EmbeddedChannel(new ChannelInitializer<EmbeddedChannel>() {
            @Override
            protected void initChannel(EmbeddedChannel channel) {
                guard.install(channel.pipeline());
            }
        });
    }

    @Test
    void aNewConnectionBeyondTheBoundClosesTheOneIdleTheLongest() {
        AtomicInteger count = new AtomicInteger();
        ConnectionGuard guard = new ConnectionGuard("test server", 8, 0, count::set,
                LoggerFactory.getLogger(ConnectionGuardTest.class));
        List<EmbeddedChannel> idle = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            idle.add(connect(guard));
        }
        // The first one talks, so it is not the one idle the longest any more.
        idle.get(0).writeInbound("hello");
        for (int i = 0; i < 4; i++) {
            connect(guard);
        }
        assertEquals(8, guard.openConnections());
        assertEquals(8, count.get());
        assertTrue(idle.get(0).isOpen(), "the busy connection was kept");
        assertFalse(idle.get(1).isOpen(), "the idle ones went first");
    }

    @Test
    void aClientAcceptedAfterABurstOfIdleSocketsIsNotTakenForTheLongestIdle() throws Exception {
        ConnectionGuard guard = new ConnectionGuard("test server", 4, 0, count -> { },
                LoggerFactory.getLogger(ConnectionGuardTest.class));
        EmbeddedChannel listening = new EmbeddedChannel(guard.acceptOrder());
        List<EmbeddedChannel> idle = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            idle.add(accept(listening, guard));
        }
        EmbeddedChannel client = accept(listening, guard);
        // Each connection becomes active on its own I/O thread: here the client's thread comes first.
        client.register();
        for (EmbeddedChannel socket : idle) {
            socket.register();
        }
        assertEquals(4, guard.openConnections());
        assertTrue(client.isOpen(), "the client accepted last is the one idle the shortest");
        assertFalse(idle.get(0).isOpen(), "the socket accepted first went first");
    }

    /** A connection as the listening channel hands it on: seen by acceptOrder(), not yet registered. */
    private static EmbeddedChannel accept(EmbeddedChannel listening, ConnectionGuard guard) {
        EmbeddedChannel connection = new EmbeddedChannel(false, false, new ChannelInitializer<EmbeddedChannel>() {
            @Override
            protected void initChannel(EmbeddedChannel channel) {
                guard.install(channel.pipeline());
            }
        });
        listening.writeInbound(connection);
        assertEquals(connection, listening.readInbound(), "the accepted connection is passed on");
        return connection;
    }
}
