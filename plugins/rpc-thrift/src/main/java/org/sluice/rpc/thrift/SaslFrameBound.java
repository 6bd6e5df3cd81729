package org.sluice.rpc.thrift;

import org.apache.thrift.TConfiguration;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;

/**
 * The socket under the source's SASL transport, bounding what a client can make it allocate. Thrift's SASL transport
 * allocates each message at the length its header declares: a handshake message (a status byte, a 4-byte length) up
 * to 100 MB, before the client has authenticated, and afterwards each data frame (a 4-byte length) at up to 2 GiB.
 * This reads each header as it passes and refuses a length over {@link #MAX_HANDSHAKE_MESSAGE_BYTES} in the handshake,
 * or over {@link #MAX_FRAME_BYTES} (the framed transport's limit) after it, before Thrift allocates anything; the
 * connection then ends, as with an oversized frame on the framed transport.
 */
final class SaslFrameBound extends TTransport {
    /** Kerberos tokens are a few KB, tens with a large Windows PAC. */
    static final int MAX_HANDSHAKE_MESSAGE_BYTES = 1024 * 1024;
    static final int MAX_FRAME_BYTES = TConfiguration.DEFAULT_MAX_FRAME_SIZE;

    private final TTransport socket;
    private final byte[] header = new byte[5];
    /** 5 in the handshake (status, length), 4 after it (length). */
    private int headerLength = 5;
    private long limit = MAX_HANDSHAKE_MESSAGE_BYTES;
    private int headerRead;
    private long frameLeft;

    SaslFrameBound(TTransport socket) {
        this.socket = socket;
    }

    /** The handshake is over: from now on the bytes read are frames, each a 4-byte length and that many bytes. */
    void handshakeDone() {
        headerLength = 4;
        limit = MAX_FRAME_BYTES;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws TTransportException {
        int read = socket.read(buffer, offset, length);
        follow(buffer, offset, read);
        return read;
    }

    private void follow(byte[] buffer, int offset, int count) throws TTransportException {
        int at = offset;
        int end = offset + count;
        while (at < end) {
            if (frameLeft > 0) {
                long skip = Math.min(frameLeft, end - at);
                frameLeft -= skip;
                at += (int) skip;
                continue;
            }
            header[headerRead++] = buffer[at++];
            if (headerRead == headerLength) {
                headerRead = 0;
                int first = headerLength - 4;
                long frame = ((header[first] & 0xffL) << 24) | ((header[first + 1] & 0xff) << 16)
                        | ((header[first + 2] & 0xff) << 8) | (header[first + 3] & 0xff);
                if (frame > limit) {
                    socket.close();
                    throw new TTransportException(TTransportException.CORRUPTED_DATA, (headerLength == 5
                            ? "a Kerberos handshake message of " : "a frame of ") + frame + " bytes, over the limit of "
                            + limit);
                }
                frameLeft = frame;
            }
        }
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void open() throws TTransportException {
        socket.open();
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws TTransportException {
        socket.write(buffer, offset, length);
    }

    @Override
    public void flush() throws TTransportException {
        socket.flush();
    }

    @Override
    public TConfiguration getConfiguration() {
        return socket.getConfiguration();
    }

    @Override
    public void updateKnownMessageSize(long size) throws TTransportException {
        socket.updateKnownMessageSize(size);
    }

    @Override
    public void checkReadBytesAvailable(long numBytes) throws TTransportException {
        socket.checkReadBytesAvailable(numBytes);
    }
}
