package org.sluice.rpc.avro;

import java.nio.ByteBuffer;
import java.util.List;

import org.apache.avro.Protocol;
import org.apache.avro.ipc.Transceiver;

/**
 * What Avro's Responder remembers about one client connection: the client's protocol once the handshake
 * succeeded. Avro clients (Flume's among them) handshake on a connection's first request only, so the
 * responder must know which connections already did. Reading and writing are done by the Netty pipeline,
 * never through this object.
 */
final class ConnectionState extends Transceiver {
    private final String remoteName;
    private volatile Protocol remote;
    private volatile boolean wireIdentical;

    ConnectionState(String remoteName) {
        this.remoteName = remoteName;
    }

    @Override
    public String getRemoteName() {
        return remoteName;
    }

    @Override
    public boolean isConnected() {
        return remote != null;
    }

    @Override
    public void setRemote(Protocol protocol) {
        this.wireIdentical = protocol != null && FlumeProtocol.isWireIdentical(protocol);
        this.remote = protocol;
    }

    /** True once the handshake is done with a client whose calls {@link DirectCall} can read. */
    boolean isWireIdentical() {
        return wireIdentical && remote != null;
    }

    @Override
    public Protocol getRemote() {
        return remote;
    }

    @Override
    public List<ByteBuffer> readBuffers() {
        throw new UnsupportedOperationException("the Netty pipeline reads this connection");
    }

    @Override
    public void writeBuffers(List<ByteBuffer> buffers) {
        throw new UnsupportedOperationException("the Netty pipeline writes this connection");
    }
}
