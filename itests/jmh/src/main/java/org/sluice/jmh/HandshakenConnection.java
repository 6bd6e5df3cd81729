package org.sluice.jmh;

import java.nio.ByteBuffer;
import java.util.List;

import org.apache.avro.Protocol;
import org.apache.avro.ipc.Transceiver;

/**
 * A connection whose Avro handshake is done, as Avro's Responder sees every call after a connection's first: it
 * answers with the client's protocol and skips the handshake. No bytes go through it; the benchmarks hand the
 * request frame to the responder themselves, as Netty's server handler does.
 */
public final class HandshakenConnection extends Transceiver {
    private final Protocol remote;

    public HandshakenConnection(Protocol remote) {
        this.remote = remote;
    }

    @Override
    public String getRemoteName() {
        return "benchmark";
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public Protocol getRemote() {
        return remote;
    }

    @Override
    public List<ByteBuffer> readBuffers() {
        throw new UnsupportedOperationException("no I/O in a benchmark");
    }

    @Override
    public void writeBuffers(List<ByteBuffer> buffers) {
        throw new UnsupportedOperationException("no I/O in a benchmark");
    }
}
