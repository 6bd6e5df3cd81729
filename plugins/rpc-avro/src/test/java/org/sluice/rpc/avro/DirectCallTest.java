package org.sluice.rpc.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Protocol;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;

/**
 * The direct reading of append and appendBatch against requests written by Avro's own encoder, cut into buffers at
 * every place a frame may be cut, in both of Avro's block encodings; and hostile lengths that must be refused before
 * anything is allocated for them.
 */
class DirectCallTest {
    /** The call in a frame, with the default bounds of a source. */
    private static DirectCall read(List<ByteBuffer> frame) {
        return DirectCall.read(frame, org.sluice.support.guard.DecodeBudget.forRequest("avro request",
                org.sluice.support.guard.DecodeBudget.DEFAULT_MAX_EVENTS, RequestGuard.size(frame)));
    }

    private static final Schema META = Schema.createMap(Schema.create(Schema.Type.BYTES));

    /** A request as Avro's Requestor writes it after the handshake: metadata, message name, parameters. */
    private static byte[] request(String message, GenericRecord parameters, Map<String, ByteBuffer> meta,
            boolean blocked) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // The blocking encoder writes maps and arrays as blocks with negative counts followed by their byte size.
        BinaryEncoder out = blocked ? EncoderFactory.get().blockingBinaryEncoder(bytes, null)
                : EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<Object>(META).write(meta, out);
        out.writeString(message);
        if (parameters != null) {
            new GenericDatumWriter<Object>(parameters.getSchema()).write(parameters, out);
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static GenericRecord appendBatch(List<Event> events) {
        return FlumeProtocol.appendBatchRequest(events);
    }

    private static GenericRecord append(Event event) {
        Schema schema = FlumeProtocol.PROTOCOL.getMessages().get(FlumeProtocol.APPEND).getRequest();
        GenericRecord request = new org.apache.avro.generic.GenericData.Record(schema);
        request.put("event", FlumeProtocol.toRecord(event));
        return request;
    }

    /** {@code bytes} cut into buffers of the given sizes (the last takes the rest). */
    private static List<ByteBuffer> cut(byte[] bytes, int... sizes) {
        List<ByteBuffer> buffers = new ArrayList<>();
        int at = 0;
        for (int size : sizes) {
            int n = Math.min(size, bytes.length - at);
            buffers.add(ByteBuffer.wrap(Arrays.copyOfRange(bytes, at, at + n)));
            at += n;
        }
        buffers.add(ByteBuffer.wrap(Arrays.copyOfRange(bytes, at, bytes.length)));
        return buffers;
    }

    private static List<ByteBuffer> direct(List<ByteBuffer> heap) {
        List<ByteBuffer> direct = new ArrayList<>();
        for (ByteBuffer buffer : heap) {
            ByteBuffer copy = ByteBuffer.allocateDirect(buffer.remaining());
            copy.put(buffer.duplicate()).flip();
            direct.add(copy);
        }
        return direct;
    }

    @Test
    void appendBatchReadsAsAvroWroteItInEitherBlockEncoding() throws IOException {
        List<Event> events = Events.make("batch", 50);
        for (boolean blocked : new boolean[] {false, true}) {
            byte[] bytes = request(FlumeProtocol.APPEND_BATCH, appendBatch(events),
                    Map.of("trace", ByteBuffer.wrap(new byte[] {1, 2, 3})), blocked);
            DirectCall call = read(List.of(ByteBuffer.wrap(bytes)));
            assertEquals(FlumeProtocol.APPEND_BATCH, call.message());
            Events.assertSame(events, call.events());
            Events.assertSame(events, read(direct(List.of(ByteBuffer.wrap(bytes)))).events());
        }
    }

    @Test
    void aRequestCutAnywhereReadsTheSame() throws IOException {
        List<Event> events = Events.make("cut", 8);
        byte[] bytes = request(FlumeProtocol.APPEND_BATCH, appendBatch(events), Map.of(), false);
        // Every single cut, so a varint, a string or a body is split at each of its bytes once.
        for (int at = 0; at <= bytes.length; at++) {
            Events.assertSame(events, read(cut(bytes, at)).events());
        }
        // Buffers of one byte each, heap and direct, and random cuts including empty buffers.
        int[] ones = new int[bytes.length];
        Arrays.fill(ones, 1);
        Events.assertSame(events, read(cut(bytes, ones)).events());
        Events.assertSame(events, read(direct(cut(bytes, ones))).events());
        Random random = new Random(42);
        for (int round = 0; round < 100; round++) {
            int[] sizes = new int[1 + random.nextInt(20)];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = random.nextInt(40);
            }
            Events.assertSame(events, read(cut(bytes, sizes)).events());
        }
    }

    @Test
    void headersEqualToThePreviousEventsShareTheirStrings() throws IOException {
        List<Event> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(EventBuilder.withBody(new byte[] {(byte) i}, Map.of("host", "web-1", "seq", "n" + i)));
        }
        for (List<ByteBuffer> frame : List.of(List.of(ByteBuffer.wrap(request(FlumeProtocol.APPEND_BATCH,
                appendBatch(sent), Map.of(), false))), direct(List.of(ByteBuffer.wrap(request(
                FlumeProtocol.APPEND_BATCH, appendBatch(sent), Map.of(), false)))))) {
            List<Event> events = read(frame).events();
            Events.assertSame(sent, events);
            String host = events.get(0).getHeaders().get("host");
            String hostKey = keyOf(events.get(0), "host");
            for (Event event : events) {
                assertSame(host, event.getHeaders().get("host"), "one String for the repeated value");
                assertSame(hostKey, keyOf(event, "host"), "one String for the repeated key");
            }
            assertEquals("n3", events.get(3).getHeaders().get("seq"), "a value that differs is its own");
        }
    }

    private static String keyOf(Event event, String key) {
        return event.getHeaders().keySet().stream().filter(key::equals).findFirst().orElseThrow();
    }

    @Test
    void appendReadsOneEvent() throws IOException {
        Event event = EventBuilder.withBody(new byte[] {0, 1, (byte) 0xfe}, Map.of("k", "v", "ü", "€"));
        DirectCall call = read(List.of(ByteBuffer.wrap(
                request(FlumeProtocol.APPEND, append(event), Map.of(), false))));
        assertEquals(FlumeProtocol.APPEND, call.message());
        Events.assertSame(List.of(event), call.events());
    }

    @Test
    void otherMessagesAreLeftToAvrosResponder() throws IOException {
        // An empty message name is Avro's handshake-only ping.
        assertNull(read(List.of(ByteBuffer.wrap(request("", null, Map.of(), false)))));
        assertNull(read(List.of(ByteBuffer.wrap(request("somethingElse", null, Map.of(), false)))));
    }

    private static byte[] prefix() throws IOException {
        // Empty metadata, then the message name appendBatch.
        return request(FlumeProtocol.APPEND_BATCH, null, Map.of(), false);
    }

    private static byte[] concat(byte[] a, int... b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        for (int i = 0; i < b.length; i++) {
            out[a.length + i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void lengthsAndCountsBeyondTheFrameAreRefusedBeforeAllocation() throws IOException {
        byte[] head = prefix();
        // One event, no headers, a body declaring 2^30 bytes: refused, not allocated.
        AvroRuntimeException body = assertThrows(AvroRuntimeException.class,
                () -> read(List.of(ByteBuffer.wrap(concat(head, 0x02, 0x00, 0x80, 0x80, 0x80, 0x80, 0x08)))));
        assertTrue(body.getMessage().contains("does not fit"), body.getMessage());
        // An array declaring a million events in a few bytes.
        assertThrows(AvroRuntimeException.class,
                () -> read(List.of(ByteBuffer.wrap(concat(head, 0x80, 0x89, 0x7a, 0x00)))));
        // A negative block count whose absolute value does not fit either.
        assertThrows(AvroRuntimeException.class,
                () -> read(List.of(ByteBuffer.wrap(concat(head, 0xff, 0x88, 0x7a, 0x02, 0x00)))));
        // A header map declaring a million entries.
        assertThrows(AvroRuntimeException.class,
                () -> read(List.of(ByteBuffer.wrap(concat(head, 0x02, 0x80, 0x89, 0x7a)))));
        // A negative length.
        assertThrows(AvroRuntimeException.class,
                () -> read(List.of(ByteBuffer.wrap(concat(head, 0x02, 0x00, 0x01)))));
        // A varint that never ends.
        assertThrows(AvroRuntimeException.class, () -> read(List.of(ByteBuffer.wrap(
                concat(head, 0x02, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)))));
    }

    @Test
    void aRequestCutShortIsRefused() throws IOException {
        byte[] bytes = request(FlumeProtocol.APPEND_BATCH, appendBatch(Events.make("short", 3)), Map.of(), false);
        for (int length = 0; length < bytes.length; length++) {
            byte[] shorter = Arrays.copyOf(bytes, length);
            assertThrows(AvroRuntimeException.class, () -> read(List.of(ByteBuffer.wrap(shorter))),
                    "cut to " + length + " bytes");
        }
    }

    @Test
    void onlyAClientSpeakingExactlyOurProtocolIsReadDirectly() {
        // Flume 1.11's own protocol, as its SDK client sends it in the handshake.
        assertTrue(FlumeProtocol.isWireIdentical(org.apache.flume.source.avro.AvroSourceProtocol.PROTOCOL));
        assertTrue(FlumeProtocol.isWireIdentical(FlumeProtocol.PROTOCOL));
        // A protocol whose event has a field more is laid out differently: Avro's resolution must read it.
        assertFalse(FlumeProtocol.isWireIdentical(ProtocolVariants.eventWithExtraField()));
        assertFalse(FlumeProtocol.isWireIdentical(Protocol.parse(
                "{\"protocol\":\"Other\",\"namespace\":\"x\",\"types\":[],\"messages\":{}}")));
    }

    @Test
    void theAnswersAreWhatAvrosResponderWrites() throws IOException {
        for (GenericEnumCase status : List.of(new GenericEnumCase(FlumeProtocol.OK, FlumeProtocol.OK_ANSWER),
                new GenericEnumCase(FlumeProtocol.FAILED, FlumeProtocol.FAILED_ANSWER))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Encoder out = EncoderFactory.get().binaryEncoder(bytes, null);
            new GenericDatumWriter<Object>(META).write(Map.of(), out);
            out.writeBoolean(false);
            new GenericDatumWriter<Object>(FlumeProtocol.STATUS).write(status.symbol(), out);
            out.flush();
            ByteBuffer answer = status.answer().get(0).duplicate();
            byte[] ours = new byte[answer.remaining()];
            answer.get(ours);
            assertEquals(Arrays.toString(bytes.toByteArray()), Arrays.toString(ours));
        }
    }

    private record GenericEnumCase(Object symbol, List<ByteBuffer> answer) {
    }
}
