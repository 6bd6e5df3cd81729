package org.sluice.source.spooldir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sluice.api.event.Event;
import org.sluice.source.spooldir.SpoolDirectorySource.Step;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

/** The AVRO deserializer against files and encodings made by Avro itself. */
class AvroDeserializerTest {
    private static final String SCHEMA = """
            {"type": "record", "name": "Line", "namespace": "org.example.logs", "doc": "a log line",
             "fields": [
               {"name": "message", "type": "string", "default": ""},
               {"name": "level", "type": {"type": "enum", "name": "Level", "symbols": ["INFO", "WARN"]}},
               {"name": "count", "type": "int"},
               {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
               {"name": "tags", "type": {"type": "array", "items": "string"}},
               {"name": "attrs", "type": {"type": "map", "values": "double"}},
               {"name": "host", "type": ["null", "string"]},
               {"name": "id", "type": {"type": "fixed", "name": "Id", "namespace": "other", "size": 4}},
               {"name": "next", "type": ["null", "Line"]},
               {"name": "again", "type": ["null", "Level", "other.Id"]},
               {"name": "ok", "type": "boolean"},
               {"name": "ratio", "type": "float"},
               {"name": "raw", "type": "bytes"}
             ]}""";

    @TempDir
    Path temp;

    private Path spool;
    private Schema schema;
    private RecordingChannelProcessor processor;

    @BeforeEach
    void setUp() throws IOException {
        spool = Files.createDirectory(temp.resolve("spool"));
        schema = new Schema.Parser().parse(SCHEMA);
        processor = new RecordingChannelProcessor();
    }

    private GenericRecord record(int i) {
        GenericRecord record = new GenericData.Record(schema);
        record.put("message", "message " + i + " \u00e9");
        record.put("level", new GenericData.EnumSymbol(schema.getField("level").schema(), i % 2 == 0 ? "INFO" : "WARN"));
        record.put("count", i * 1000 - 7);
        record.put("at", 1_700_000_000_000L + i);
        List<String> tags = new ArrayList<>();
        for (int t = 0; t < i % 4; t++) {
            tags.add("t" + t);
        }
        record.put("tags", tags);
        Map<String, Double> attrs = new HashMap<>();
        if (i % 3 == 0) {
            attrs.put("a", i / 2.0);
        }
        record.put("attrs", attrs);
        record.put("host", i % 2 == 0 ? null : "web" + i);
        Schema idSchema = schema.getField("id").schema();
        record.put("id", new GenericData.Fixed(idSchema, new byte[] {1, 2, 3, (byte) i}));
        record.put("again", i % 3 == 1 ? new GenericData.Fixed(idSchema, new byte[] {9, 9, 9, 9}) : null);
        record.put("ok", i % 2 == 1);
        record.put("ratio", i * 0.25f);
        record.put("raw", java.nio.ByteBuffer.wrap(new byte[] {(byte) i, 0, (byte) 0xff}));
        if (i % 5 == 0) {
            GenericRecord inner = new GenericData.Record(schema);
            for (Schema.Field field : schema.getFields()) {
                inner.put(field.name(), record.get(field.name()));
            }
            inner.put("next", null);
            record.put("next", inner);
        } else {
            record.put("next", null);
        }
        return record;
    }

    private byte[] encoded(GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private void writeFile(String name, int records, CodecFactory codec) throws IOException {
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(schema))) {
            writer.setCodec(codec);
            writer.setSyncInterval(64); // many small blocks, so batches and restarts cross block boundaries
            writer.create(schema, spool.resolve(name).toFile());
            for (int i = 0; i < records; i++) {
                writer.append(record(i));
            }
        }
    }

    private SpoolDirectorySource source(String... keyValues) throws Exception {
        Map<String, String> properties = new HashMap<>();
        properties.put("spoolDir", spool.toString());
        properties.put("deserializer", "AVRO");
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        SpoolDirectorySource source = (SpoolDirectorySource) new SpoolDirectorySourceFactory().create(
                TestContexts.source("r1", properties, processor, temp.resolve("data")));
        source.open();
        return source;
    }

    private static void drain(SpoolDirectorySource source) throws IOException {
        for (int i = 0; i < 10_000 && source.step() == Step.WORKED; i++) {
            // until idle
        }
    }

    private void assertBodies(int records) throws IOException {
        List<Event> events = processor.accepted();
        assertEquals(records, events.size());
        for (int i = 0; i < records; i++) {
            assertArrayEquals(encoded(record(i)), events.get(i).getBody(), "record " + i);
        }
    }

    private String fingerprint() throws java.security.NoSuchAlgorithmException {
        return HexFormat.of().formatHex(SchemaNormalization.parsingFingerprint("CRC-64-AVRO", schema));
    }

    @Test
    void eachRecordIsAnEventEncodedAsAvrosGenericWriterDoesWithTheSchemaHash() throws Exception {
        writeFile("a.avro", 40, CodecFactory.nullCodec());
        drain(source("batchSize", "7"));
        assertBodies(40);
        for (Event event : processor.accepted()) {
            assertEquals(Map.of(AvroEventReader.HASH_HEADER, fingerprint()), event.getHeaders());
        }
        assertTrue(Files.exists(spool.resolve("a.avro.COMPLETED")));
    }

    @Test
    void deflateBlocksAndTheLiteralSchema() throws Exception {
        writeFile("a.avro", 25, CodecFactory.deflateCodec(6));
        drain(source("deserializer", SpoolDirectorySourceFactory.AVRO_CLASS, "deserializer.schemaType", "LITERAL"));
        assertBodies(25);
        Schema literal = new Schema.Parser().parse(processor.accepted().get(0).getHeaders()
                .get(AvroEventReader.LITERAL_HEADER));
        assertEquals(schema, literal);
    }

    @Test
    void aRestartAndARefusedBatchResumeAtTheExactRecordAcrossBlocks() throws Exception {
        writeFile("a.avro", 30, CodecFactory.deflateCodec(1));
        SpoolDirectorySource first = source("batchSize", "4");
        assertEquals(Step.WORKED, first.step());
        processor.failNext(1);
        assertEquals(Step.BACKOFF, first.step());
        assertEquals(Step.WORKED, first.step());
        assertEquals(8, processor.accepted().size());
        first.stop();
        drain(source("batchSize", "4"));
        assertBodies(30);
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "deflate", "snappy", "bzip2", "xz", "zstandard"})
    void readsFilesOfEveryCodecAvroWrites(String codec) throws Exception {
        writeFile("a.avro", 50, CodecFactory.fromString(codec));
        drain(source("batchSize", "9"));
        assertBodies(50);
        assertTrue(Files.exists(spool.resolve("a.avro.COMPLETED")));
    }

    @Test
    void aRestartInsideALargeBlockContinuesAtTheNextRecord() throws Exception {
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(schema))) {
            writer.setCodec(CodecFactory.zstandardCodec(3));
            writer.create(schema, spool.resolve("a.avro").toFile());
            for (int i = 0; i < 30; i++) {
                writer.append(record(i));
                if (i == 9 || i == 19) {
                    writer.sync(); // three blocks of ten
                }
            }
        }
        SpoolDirectorySource first = source("batchSize", "13");
        assertEquals(Step.WORKED, first.step());
        first.stop();
        drain(source("batchSize", "13"));
        assertBodies(30);
    }

    @Test
    void aDamagedBlockDeliversTheRecordsBeforeItAndLeavesTheFile() throws Exception {
        writeFile("a.avro", 40, CodecFactory.nullCodec());
        Path file = spool.resolve("a.avro");
        byte[] bytes = Files.readAllBytes(file);
        // The last byte of the sync marker that ends the last block: Avro refuses the block.
        bytes[bytes.length - 1] ^= 0x55;
        Files.write(file, bytes);
        drain(source("batchSize", "4"));
        List<Event> events = processor.accepted();
        assertTrue(events.size() < 40 && events.size() > 30, "the blocks before the damaged one: " + events.size());
        for (int i = 0; i < events.size(); i++) {
            assertArrayEquals(encoded(record(i)), events.get(i).getBody(), "record " + i);
        }
        assertTrue(Files.exists(file), "a file with an unreadable block is not marked done");
    }

    @Test
    void aFileCutInsideABlockIsNotTakenForComplete() throws Exception {
        writeFile("a.avro", 40, CodecFactory.deflateCodec(6));
        Path file = spool.resolve("a.avro");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        drain(source("batchSize", "100"));
        assertTrue(Files.exists(file), "a file that ends inside a block is not marked done");
        assertTrue(processor.accepted().size() < 40);
    }

    @Test
    void aFileThatIsNotAvroIsRefusedAndTheOthersGoOn() throws Exception {
        Files.writeString(spool.resolve("a.txt"), "not avro\n", StandardCharsets.UTF_8);
        writeFile("b.avro", 3, CodecFactory.nullCodec());
        drain(source());
        assertBodies(3);
        assertTrue(Files.exists(spool.resolve("a.txt")));
    }
}
