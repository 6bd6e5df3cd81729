package org.sluice.rpc.avro;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Protocol;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;

/**
 * Flume's AvroSourceProtocol, parsed from our own .avpr and used through Avro's generic API: nothing is
 * generated at build time, and no class is ever loaded by name (Avro's specific and reflect readers would go
 * through the thread context class loader, which in OSGi is not this bundle's).
 */
final class FlumeProtocol {
    static final Protocol PROTOCOL = load();
    static final String APPEND = "append";
    static final String APPEND_BATCH = "appendBatch";
    static final Schema EVENT = PROTOCOL.getType("org.apache.flume.source.avro.AvroFlumeEvent");
    static final Schema STATUS = PROTOCOL.getType("org.apache.flume.source.avro.Status");
    static final GenericData.EnumSymbol OK = new GenericData.EnumSymbol(STATUS, "OK");
    static final GenericData.EnumSymbol FAILED = new GenericData.EnumSymbol(STATUS, "FAILED");

    /**
     * The whole answer to a call on a connection whose handshake is done, as Avro's responder writes it: empty
     * response metadata (a map with no entries, 0), no error (false, 0), then the Status symbol's index as a
     * zig-zag int (OK 0, FAILED 1). Read-only, so one copy serves every connection.
     */
    static final List<ByteBuffer> OK_ANSWER = answer(0x00);
    static final List<ByteBuffer> FAILED_ANSWER = answer(0x02);

    private FlumeProtocol() {
    }

    /**
     * The answer to a call on a connection whose handshake is done that failed with {@code message}, as Avro's
     * responder writes a system error: empty response metadata, the error flag, the index of {@code string} in the
     * message's error union (0), then the message. Flume's client raises it as an AvroRemoteException, so the
     * reason is in the client's log.
     */
    static List<ByteBuffer> errorAnswer(String message) {
        byte[] text = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer answer = ByteBuffer.allocate(3 + 10 + text.length);
        answer.put((byte) 0x00).put((byte) 0x01).put((byte) 0x00);
        long zigzag = ((long) text.length << 1) ^ ((long) text.length >> 63);
        while ((zigzag & ~0x7FL) != 0) {
            answer.put((byte) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        answer.put((byte) zigzag).put(text).flip();
        return List.of(answer);
    }

    private static List<ByteBuffer> answer(int statusIndex) {
        return List.of(ByteBuffer.wrap(new byte[] {0x00, 0x00, (byte) statusIndex}).asReadOnlyBuffer());
    }

    /**
     * True if a client's protocol lays append and appendBatch out on the wire exactly as ours does (the same
     * request and response schemas), so their requests can be read by our schema with no resolution. Flume's
     * clients of every 1.x release send the same protocol; a different one is still answered, by Avro's resolving
     * path.
     */
    static boolean isWireIdentical(Protocol remote) {
        for (String name : List.of(APPEND, APPEND_BATCH)) {
            Protocol.Message ours = PROTOCOL.getMessages().get(name);
            Protocol.Message theirs = remote.getMessages().get(name);
            if (theirs == null || theirs.isOneWay() != ours.isOneWay()
                    || !theirs.getRequest().equals(ours.getRequest())
                    || !theirs.getResponse().equals(ours.getResponse())) {
                return false;
            }
        }
        return true;
    }

    private static Protocol load() {
        try (InputStream in = FlumeProtocol.class.getResourceAsStream("AvroSourceProtocol.avpr")) {
            if (in == null) {
                throw new IllegalStateException("AvroSourceProtocol.avpr is missing from the bundle");
            }
            return Protocol.parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read AvroSourceProtocol.avpr", e);
        }
    }

    /** An AvroFlumeEvent as Avro's generic reader made it: a map of Utf8 and a ByteBuffer. */
    static Event toEvent(GenericRecord record) {
        Map<?, ?> avroHeaders = (Map<?, ?>) record.get("headers");
        Map<String, String> headers = new HashMap<>(avroHeaders.size() * 2);
        for (Map.Entry<?, ?> header : avroHeaders.entrySet()) {
            headers.put(header.getKey().toString(), header.getValue().toString());
        }
        ByteBuffer body = (ByteBuffer) record.get("body");
        byte[] bytes = new byte[body.remaining()];
        body.duplicate().get(bytes);
        return new SimpleEvent(bytes, headers);
    }

    static List<Event> toEvents(List<?> records) {
        List<Event> events = new ArrayList<>(records.size());
        for (Object record : records) {
            events.add(toEvent((GenericRecord) record));
        }
        return events;
    }

    static GenericRecord toRecord(Event event) {
        GenericRecord record = new GenericData.Record(EVENT);
        record.put("headers", event.getHeaders());
        record.put("body", ByteBuffer.wrap(event.getBody()));
        return record;
    }

    /** The request of appendBatch: a record with the one field {@code events}. */
    static GenericRecord appendBatchRequest(List<Event> events) {
        Schema requestSchema = PROTOCOL.getMessages().get(APPEND_BATCH).getRequest();
        GenericData.Array<GenericRecord> records = new GenericData.Array<>(events.size(),
                requestSchema.getField("events").schema());
        for (Event event : events) {
            records.add(toRecord(event));
        }
        GenericRecord request = new GenericData.Record(requestSchema);
        request.put("events", records);
        return request;
    }
}
