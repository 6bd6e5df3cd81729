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
import org.sluice.support.guard.DecodeBudget;
import org.sluice.support.guard.RequestTooLargeException;

/**
 * Answers Flume's calls through Avro's generic responder: the handshake, and append and appendBatch wherever
 * {@link DirectCall} does not read them (a client whose protocol differs from ours, so its requests need Avro's
 * schema resolution). The client hears OK or FAILED from {@link EventDelivery}.
 */
final class FlumeResponder extends GenericResponder {
    /** The budget of the request being answered on this thread: its frame's size, and what it may decode to. */
    private static final ThreadLocal<Budget> BUDGET = new ThreadLocal<>();

    private record Budget(long frameBytes, DecodeBudget decoded) {
    }

    /**
     * A request refused by its budget, or whose parameters cannot be read: answered FAILED, without an exception
     * Avro's responder would log with its stack trace for every such request.
     */
    private record Refused(RuntimeException reason) {
    }

    /** Why the last request was refused, until {@link #takeRefusal()}; calls of one connection come one by one. */
    private RuntimeException refusal;

    private final String name;
    private final EventDelivery delivery;

    FlumeResponder(String name, EventDelivery delivery) {
        super(FlumeProtocol.PROTOCOL);
        this.name = name;
        this.delivery = delivery;
    }

    /**
     * Answers one request with the parameters' decoder bounded by the request's size (see {@link BoundedDecoder});
     * the rest of the request was checked by {@link RequestGuard}. A request whose parameters exceed
     * {@code decoded} is answered FAILED; {@link #takeRefusal()} then tells why.
     */
    List<ByteBuffer> respondBounded(List<ByteBuffer> request, Transceiver connection, DecodeBudget decoded)
            throws IOException {
        BUDGET.set(new Budget(RequestGuard.size(request), decoded));
        try {
            return respond(request, connection);
        } finally {
            BUDGET.remove();
        }
    }

    @Override
    public Object readRequest(Schema actual, Schema expected, Decoder in) throws IOException {
        Budget budget = BUDGET.get();
        if (budget == null) {
            throw new IllegalStateException("readRequest outside respondBounded");
        }
        try {
            return new GenericDatumReader<Object>(actual, expected, getGenericData()).read(null,
                    new BoundedDecoder(in, budget.frameBytes(), budget.decoded()));
        } catch (RequestTooLargeException | AvroRuntimeException e) {
            return new Refused(e);
        } catch (RuntimeException e) {
            // Avro's readers fail on some hostile bytes with what is not an AvroRuntimeException (a union index
            // beyond the union). Found by AvroFuzzTest.
            return new Refused(new AvroRuntimeException("Malformed request: " + e, e));
        }
    }

    /**
     * Why the last request answered was refused, or null; forgets it. A {@link RequestTooLargeException} when its
     * budget refused it, an AvroRuntimeException when its parameters could not be read.
     */
    RuntimeException takeRefusal() {
        RuntimeException last = refusal;
        refusal = null;
        return last;
    }

    @Override
    public Object respond(Protocol.Message message, Object request) {
        if (request instanceof Refused refused) {
            refusal = refused.reason();
            return FlumeProtocol.FAILED;
        }
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
