package org.sluice.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;

/** Our codec of Flume's AvroFlumeEvent datum against Avro's own reader and writer of the same schema. */
class FlumeEventFormatTest {
    /** Flume's AvroFlumeEvent (flume-ng-sdk's flume.avdl). */
    private static final Schema SCHEMA = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"AvroFlumeEvent\","
            + "\"namespace\":\"org.apache.flume.source.avro\",\"fields\":[{\"name\":\"headers\",\"type\":{\"type\":"
            + "\"map\",\"values\":\"string\"}},{\"name\":\"body\",\"type\":\"bytes\"}]}");

    @Test
    void whatWeWriteIsWhatAvrosWriterWritesAndAvroReadsIt() throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "web-01");
        headers.put("ünïcödé", "värde ✓");
        headers.put("empty", "");
        byte[] body = "the body\u0000 with bytes".getBytes(StandardCharsets.UTF_8);
        byte[] ours = FlumeEventFormat.encode(new SimpleEvent(body, headers));
        assertArrayEquals(avroWrite(headers, body), ours);

        GenericRecord read = new GenericDatumReader<GenericRecord>(SCHEMA).read(null,
                DecoderFactory.get().binaryDecoder(ours, null));
        Map<String, String> readHeaders = new HashMap<>();
        ((Map<?, ?>) read.get("headers")).forEach((k, v) -> readHeaders.put(k.toString(), v.toString()));
        assertEquals(headers, readHeaders);
        assertArrayEquals(body, bytes((ByteBuffer) read.get("body")));
    }

    @Test
    void readsWhatAvroWritesIncludingNoHeadersAndAnEmptyBody() throws Exception {
        for (Map<String, String> headers : java.util.List.of(Map.<String, String>of(), Map.of("a", "1", "b", "2"))) {
            for (byte[] body : new byte[][] {new byte[0], new byte[70_000]}) {
                Event event = FlumeEventFormat.decode(avroWrite(headers, body));
                assertEquals(headers, event.getHeaders());
                assertArrayEquals(body, event.getBody());
            }
        }
    }

    @Test
    void readsMapBlocksWithByteSizesAsBufferingEncodersWriteThem() throws Exception {
        Map<String, String> headers = Map.of("k1", "v1", "k2", "v2");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // A blocking encoder writes map blocks with a negative count followed by the block's byte size.
        BinaryEncoder encoder = EncoderFactory.get().blockingBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(SCHEMA).write(record(headers, new byte[] {1, 2, 3}), encoder);
        encoder.flush();
        Event event = FlumeEventFormat.decode(out.toByteArray());
        assertEquals(headers, event.getHeaders());
        assertArrayEquals(new byte[] {1, 2, 3}, event.getBody());
    }

    @Test
    void plainTextGarbageAndTruncatedDatumsAreRefusedWithoutHugeAllocations() throws Exception {
        byte[] valid = avroWrite(Map.of("h", "v"), "body".getBytes(StandardCharsets.UTF_8));
        for (byte[] bad : new byte[][] {
            "hello world, this is a plain log line".getBytes(StandardCharsets.UTF_8),
            new byte[0],
            java.util.Arrays.copyOf(valid, valid.length - 1),
            java.util.Arrays.copyOf(valid, valid.length + 3),
            {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}, // a map of about a billion entries
            {0, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}, // a body of about a billion bytes
            {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        }) {
            assertThrows(FlumeEventFormat.NotAFlumeEvent.class, () -> FlumeEventFormat.decode(bad),
                    () -> "accepted " + java.util.Arrays.toString(bad));
        }
    }

    private static byte[] avroWrite(Map<String, String> headers, byte[] body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // As Flume's Kafka sink and channel: a direct binary encoder, no framing.
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(SCHEMA).write(record(headers, body), encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static GenericRecord record(Map<String, String> headers, byte[] body) {
        GenericRecord record = new GenericData.Record(SCHEMA);
        record.put("headers", new LinkedHashMap<CharSequence, CharSequence>(headers));
        record.put("body", ByteBuffer.wrap(body));
        return record;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
