package org.sluice.sink.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;

/**
 * Flume's two Avro serializers against a real HDFS, every codec Avro has, each file read back with Avro's own
 * DataFileReader: avro_event (Flume's Event records) and AvroEventSerializer$Builder (records whose schema the
 * events' headers name).
 */
class AvroSerializersTest extends OnMiniHdfs {
    private static final Schema LINE = new Schema.Parser().parse("""
            {"type": "record", "name": "Line", "namespace": "org.example",
             "fields": [{"name": "message", "type": "string"}, {"name": "level", "type": "int"},
                        {"name": "host", "type": ["null", "string"]}]}""");
    private static final Schema COUNT = new Schema.Parser().parse("""
            {"type": "record", "name": "Count", "fields": [{"name": "n", "type": "long"}]}""");

    @ParameterizedTest
    @ValueSource(strings = {"null", "deflate", "snappy", "bzip2", "xz", "zstandard"})
    void avroEventFilesOfEveryCodecAreFlumesEventRecords(String codec) throws Exception {
        Sink sink = start(props("serializer", "avro_event", "serializer.compressionCodec", codec,
                "serializer.syncIntervalBytes", "100", "hdfs.batchSize", "6"));
        List<Event> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Map<String, String> headers = new HashMap<>();
            headers.put("timestamp", "1709633730000");
            if (i % 2 == 0) {
                headers.put("host", "web" + i + " \u00e9");
            }
            sent.add(EventBuilder.withBody(("body-" + i).getBytes(StandardCharsets.UTF_8), headers));
        }
        sent.add(EventBuilder.withBody(new byte[0], new HashMap<>())); // no headers, empty body
        channel.putCommitted(sent);
        drainAndStop(sink);

        List<Path> files = Hdfs.files(fs, new Path(dir));
        assertEquals(1, files.size(), files.toString());
        List<GenericRecord> records = read(files.get(0), codec, FlumeEventAvroSerializer.SCHEMA);
        assertEquals(sent.size(), records.size());
        for (int i = 0; i < sent.size(); i++) {
            Map<String, String> headers = new HashMap<>();
            ((Map<?, ?>) records.get(i).get("headers")).forEach((k, v) -> headers.put(k.toString(), v.toString()));
            assertEquals(sent.get(i).getHeaders(), headers);
            assertEquals(ByteBuffer.wrap(sent.get(i).getBody()), records.get(i).get("body"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "deflate", "snappy", "bzip2", "xz", "zstandard"})
    void recordsWithTheSchemaOfTheLiteralHeaderAreWrittenAsTheyAre(String codec) throws Exception {
        Sink sink = start(props("serializer", HdfsSinkFactory.HEADER_SCHEMA_AVRO_CLASS,
                "serializer.compressionCodec", codec, "serializer.syncIntervalBytes", "64", "hdfs.batchSize", "7"));
        List<GenericRecord> sent = lines(0, 25);
        for (GenericRecord record : sent) {
            channel.putCommitted(List.of(avroEvent(record, Map.of(HeaderSchemaAvroSerializer.LITERAL_HEADER,
                    LINE.toString()))));
        }
        drainAndStop(sink);

        List<Path> files = Hdfs.files(fs, new Path(dir));
        assertEquals(1, files.size(), files.toString());
        assertEquals(sent, read(files.get(0), codec, LINE));
    }

    @Test
    void theSchemaComesFromTheUrlHeaderOnHdfsOrElsewhereOrFromSchemaUrl() throws Exception {
        Path onHdfs = new Path(hdfs.uri() + "/schemas/line.avsc");
        try (FSDataOutputStream out = fs.create(onHdfs)) {
            out.write(LINE.toString(true).getBytes(StandardCharsets.UTF_8));
        }
        java.nio.file.Path local = Files.writeString(temp.resolve("count.avsc"), COUNT.toString());
        Sink sink = start(props("serializer", HdfsSinkFactory.HEADER_SCHEMA_AVRO_CLASS,
                "hdfs.path", dir + "/%{kind}", "serializer.schemaURL", local.toUri().toString()));
        List<GenericRecord> lines = lines(0, 5);
        for (GenericRecord line : lines) {
            channel.putCommitted(List.of(avroEvent(line, Map.of("kind", "lines",
                    HeaderSchemaAvroSerializer.URL_HEADER, onHdfs.toString()))));
        }
        List<GenericRecord> counts = new ArrayList<>();
        for (long n = 0; n < 4; n++) {
            GenericRecord count = new GenericData.Record(COUNT);
            count.put("n", n * 1_000_000_007L);
            counts.add(count);
            channel.putCommitted(List.of(avroEvent(count, Map.of("kind", "counts")))); // schemaURL's schema
        }
        drainAndStop(sink);

        assertEquals(lines, read(Hdfs.files(fs, new Path(dir + "/lines")).get(0), "null", LINE));
        assertEquals(counts, read(Hdfs.files(fs, new Path(dir + "/counts")).get(0), "null", COUNT));
    }

    @Test
    void anEventOfAnotherSchemaStartsANewFileInsteadOfJoiningOneOfAnotherSchema() throws Exception {
        Sink sink = start(props("serializer", HdfsSinkFactory.HEADER_SCHEMA_AVRO_CLASS));
        List<GenericRecord> lines = lines(0, 3);
        GenericRecord count = new GenericData.Record(COUNT);
        count.put("n", 7L);
        channel.putCommitted(List.of(
                avroEvent(lines.get(0), Map.of(HeaderSchemaAvroSerializer.LITERAL_HEADER, LINE.toString())),
                avroEvent(lines.get(1), Map.of(HeaderSchemaAvroSerializer.LITERAL_HEADER, LINE.toString())),
                avroEvent(count, Map.of(HeaderSchemaAvroSerializer.LITERAL_HEADER, COUNT.toString())),
                avroEvent(lines.get(2), Map.of(HeaderSchemaAvroSerializer.LITERAL_HEADER, LINE.toString()))));
        drainAndStop(sink);

        List<Path> files = Hdfs.files(fs, new Path(dir));
        assertEquals(3, files.size(), files.toString());
        assertEquals(lines.subList(0, 2), read(files.get(0), "null", LINE));
        assertEquals(List.of(count), read(files.get(1), "null", COUNT));
        assertEquals(lines.subList(2, 3), read(files.get(2), "null", LINE));
    }

    @Test
    void anEventWithoutSchemaFailsItsBatchNamingTheHeadersAndLeavesNoEmptyFile() throws Exception {
        Sink sink = start(props("serializer", HdfsSinkFactory.HEADER_SCHEMA_AVRO_CLASS));
        channel.putCommitted(List.of(avroEvent(lines(0, 1).get(0), Map.of("host", "h1"))));

        EventDeliveryException e = assertThrows(EventDeliveryException.class, sink::process);
        String messages = messages(e);
        assertTrue(messages.contains(HeaderSchemaAvroSerializer.URL_HEADER)
                && messages.contains(HeaderSchemaAvroSerializer.LITERAL_HEADER)
                && messages.contains(HeaderSchemaAvroSerializer.SCHEMA_URL_KEY), messages);
        assertEquals(1, channel.size(), "the event stays in the channel");
        assertEquals(List.of(), Hdfs.files(fs, new Path(dir)), "the file opened for it held nothing and is gone");
    }

    @Test
    void aSchemaUrlThatCannotBeReadFailsTheBatchNamingIt() throws Exception {
        Sink sink = start(props("serializer", HdfsSinkFactory.HEADER_SCHEMA_AVRO_CLASS));
        String missing = temp.resolve("missing.avsc").toUri().toString();
        channel.putCommitted(List.of(avroEvent(lines(0, 1).get(0),
                Map.of(HeaderSchemaAvroSerializer.URL_HEADER, missing))));

        EventDeliveryException e = assertThrows(EventDeliveryException.class, sink::process);
        assertTrue(messages(e).contains("cannot read the Avro schema at " + missing), messages(e));
        assertEquals(1, channel.size());
    }

    private Map<String, String> props(String... keyValues) {
        Map<String, String> props = new HashMap<>();
        props.put("hdfs.path", dir);
        props.put("hdfs.fileType", "DataStream");
        props.put("hdfs.rollCount", "0");
        props.put("hdfs.rollSize", "0");
        props.put("hdfs.fileSuffix", ".avro");
        props.put("hdfs.config.dfs.replication", "1");
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    private void drainAndStop(Sink sink) throws Exception {
        while (channel.size() > 0) {
            assertEquals(Sink.Status.READY, sink.process());
        }
        stop(sink);
    }

    private static List<GenericRecord> lines(int from, int to) {
        List<GenericRecord> lines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            GenericRecord line = new GenericData.Record(LINE);
            line.put("message", "line " + i + " \u00e9");
            line.put("level", i % 5);
            line.put("host", i % 2 == 0 ? null : "web" + i);
            lines.add(line);
        }
        return lines;
    }

    /** An event whose body is the record in Avro's binary encoding. */
    private static Event avroEvent(GenericRecord record, Map<String, String> headers) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(body, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return EventBuilder.withBody(body.toByteArray(), new HashMap<>(headers));
    }

    /** The records of an Avro container file, read by Avro, after checking its codec and schema. */
    private List<GenericRecord> read(Path file, String codec, Schema schema) throws IOException {
        assertTrue(file.getName().endsWith(".avro"), file.toString());
        byte[] content;
        try (InputStream in = fs.open(file)) {
            content = in.readAllBytes();
        }
        List<GenericRecord> records = new ArrayList<>();
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(new SeekableByteArrayInput(content),
                new GenericDatumReader<>())) {
            assertEquals(codec, reader.getMetaString("avro.codec"));
            assertEquals(schema, reader.getSchema());
            reader.forEach(records::add);
        }
        return records;
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" / ");
        }
        return all.toString();
    }
}
