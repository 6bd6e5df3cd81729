package org.sluice.rpc.avro;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Protocol;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.Decoder;
import org.apache.avro.ipc.Transceiver;
import org.apache.avro.ipc.generic.GenericResponder;
import org.sluice.api.event.Event;

/**
 * Answers Flume's calls through Avro's generic responder: the handshake, and append and appendBatch wherever
 * {@link DirectCall} does not read them (a client whose protocol differs from ours, so its requests need Avro's
 * schema resolution). The client hears OK or FAILED from {@link EventDelivery}.
 */
final class FlumeResponder extends GenericResponder {
    /** The byte budget of the request being answered on this thread: its frame's size. */
    private static final ThreadLocal<Long> BUDGET = new ThreadLocal<>();

    private final String name;
    private final EventDelivery delivery;

    FlumeResponder(String name, EventDelivery delivery) {
        super(FlumeProtocol.PROTOCOL);
        this.name = name;
        this.delivery = delivery;
    }

    /**
     * Answers one request with the parameters' decoder bounded by the request's size (see {@link BoundedDecoder});
     * the rest of the request was checked by {@link RequestGuard}.
     */
    List<ByteBuffer> respondBounded(List<ByteBuffer> request, Transceiver connection) throws IOException {
        BUDGET.set(RequestGuard.size(request));
        try {
            return respond(request, connection);
        } finally {
            BUDGET.remove();
        }
    }

    @Override
    public Object readRequest(Schema actual, Schema expected, Decoder in) throws IOException {
        Long budget = BUDGET.get();
        if (budget == null) {
            throw new IllegalStateException("readRequest outside respondBounded");
        }
        return new GenericDatumReader<Object>(actual, expected, getGenericData()).read(null,
                new BoundedDecoder(in, budget));
    }

    @Override
    public Object respond(Protocol.Message message, Object request) {
        GenericRecord params = (GenericRecord) request;
        List<Event> events;
        switch (message.getName()) {
            case FlumeProtocol.APPEND:
                events = List.of(FlumeProtocol.toEvent((GenericRecord) params.get("event")));
                break;
            case FlumeProtocol.APPEND_BATCH:
                events = FlumeProtocol.toEvents((List<?>) params.get("events"));
                break;
            default:
                // The responder only dispatches messages of our protocol; anything else is a bug here.
                throw new AvroRuntimeException("avro source " + name + ": no such message " + message.getName());
        }
        return delivery.deliver(message.getName(), events) ? FlumeProtocol.OK : FlumeProtocol.FAILED;
    }
}
