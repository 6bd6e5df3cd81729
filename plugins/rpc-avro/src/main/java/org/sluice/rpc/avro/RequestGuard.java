package org.sluice.rpc.avro;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.ipc.HandshakeRequest;
import org.apache.avro.util.ByteBufferInputStream;
import org.sluice.support.guard.DecodeBudget;

/**
 * Checks the part of a request Avro's Responder reads with its own, unbounded decoder before our code sees
 * the call: the handshake (on a connection's first request), the call metadata and the message name. They are
 * read once here through a {@link BoundedDecoder} and thrown away; a request whose declared lengths do not fit
 * its frame is refused before Avro allocates anything for it. The call's parameters are read later by
 * {@link FlumeResponder#readRequest} through a bounded decoder as well.
 *
 * <p>The message name must be one of Flume's protocol (or empty, Avro's handshake-only request): Avro's responder
 * would log any other name verbatim, with a stack trace, for every such request.
 */
final class RequestGuard {
    private static final Schema HANDSHAKE = HandshakeRequest.getClassSchema();
    private static final Schema META = Schema.createMap(Schema.create(Schema.Type.BYTES));

    private RequestGuard() {
    }

    static long size(List<ByteBuffer> buffers) {
        long size = 0;
        for (ByteBuffer buffer : buffers) {
            size += buffer.remaining();
        }
        return size;
    }

    /**
     * Throws if the request's handshake, metadata or message name is malformed, does not fit the frame or its
     * budget, or names a message Flume's protocol does not have.
     */
    static void check(List<ByteBuffer> buffers, boolean expectHandshake, DecodeBudget budget) throws IOException {
        List<ByteBuffer> copies = new ArrayList<>(buffers.size());
        for (ByteBuffer buffer : buffers) {
            copies.add(buffer.duplicate());
        }
        BinaryDecoder raw = DecoderFactory.get().binaryDecoder(new ByteBufferInputStream(copies), null);
        BoundedDecoder in = new BoundedDecoder(raw, size(buffers), budget);
        String message;
        try {
            if (expectHandshake) {
                new GenericDatumReader<Object>(HANDSHAKE).read(null, in);
            }
            new GenericDatumReader<Object>(META).read(null, in);
            message = in.readString(null).toString();
        } catch (AvroRuntimeException | org.sluice.support.guard.RequestTooLargeException e) {
            throw e;
        } catch (RuntimeException e) {
            // Avro's readers fail on some hostile bytes with what is not an AvroRuntimeException (a union index beyond
            // the union: ArrayIndexOutOfBoundsException). Found by AvroFuzzTest.
            throw new AvroRuntimeException("Malformed request: " + e, e);
        }
        if (!message.isEmpty() && !FlumeProtocol.PROTOCOL.getMessages().containsKey(message)) {
            // Raw here: the one place that logs it escapes and cuts it (escaping twice would double the backslashes).
            throw new AvroRuntimeException("no such message in Flume's protocol: '" + message + "'");
        }
    }
}
