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
import org.slf4j.Logger;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.source.ChannelProcessor;

/**
 * Answers Flume's append and appendBatch: the events of one call go to the channel processor in one
 * {@code processEventBatch}, so they are all committed or none is, and the client hears OK or FAILED.
 */
final class FlumeResponder extends GenericResponder {
    /** The byte budget of the request being answered on this thread: its frame's size. */
    private static final ThreadLocal<Long> BUDGET = new ThreadLocal<>();

    private final String name;
    private final ChannelProcessor processor;
    private final SourceCounter counter;
    private final Logger log;

    FlumeResponder(String name, ChannelProcessor processor, SourceCounter counter, Logger log) {
        super(FlumeProtocol.PROTOCOL);
        this.name = name;
        this.processor = processor;
        this.counter = counter;
        this.log = log;
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
        switch (message.getName()) {
            case FlumeProtocol.APPEND: {
                counter.incrementAppendReceivedCount();
                counter.addToEventReceivedCount(1);
                Event event = FlumeProtocol.toEvent((GenericRecord) params.get("event"));
                if (!deliver(List.of(event))) {
                    return FlumeProtocol.FAILED;
                }
                counter.incrementAppendAcceptedCount();
                counter.addToEventAcceptedCount(1);
                return FlumeProtocol.OK;
            }
            case FlumeProtocol.APPEND_BATCH: {
                counter.incrementAppendBatchReceivedCount();
                List<?> records = (List<?>) params.get("events");
                counter.addToEventReceivedCount(records.size());
                List<Event> events = FlumeProtocol.toEvents(records);
                if (!deliver(events)) {
                    return FlumeProtocol.FAILED;
                }
                counter.incrementAppendBatchAcceptedCount();
                counter.addToEventAcceptedCount(events.size());
                return FlumeProtocol.OK;
            }
            default:
                // The responder only dispatches messages of our protocol; anything else is a bug here.
                throw new AvroRuntimeException("avro source " + name + ": no such message " + message.getName());
        }
    }

    /**
     * True if every required channel committed the events. On failure nothing of the call is kept (the channel
     * processor rolls every transaction back) and the client is answered FAILED so it sends them again.
     */
    private boolean deliver(List<Event> events) {
        try {
            processor.processEventBatch(events);
            return true;
        } catch (ChannelException e) {
            counter.incrementChannelWriteFail();
            log.warn("Avro source {}: the channels refused a batch of {} events; the client is answered FAILED "
                    + "and will send them again: {}", name, events.size(), e.toString());
            return false;
        } catch (RuntimeException e) {
            // An interceptor or selector failed: as in Flume, the call fails and the client retries.
            counter.incrementGenericProcessingFail();
            log.error("Avro source {}: could not process a batch of {} events; the client is answered FAILED",
                    name, events.size(), e);
            return false;
        }
    }
}
