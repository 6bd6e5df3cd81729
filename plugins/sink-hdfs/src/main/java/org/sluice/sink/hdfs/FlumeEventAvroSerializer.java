package org.sluice.sink.hdfs;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;
import org.sluice.api.event.Event;

/**
 * Flume's {@code avro_event} serializer: an Avro container file of Flume's {@code Event} records,
 * {@code {headers: map<string>, body: bytes}}, the schema Flume's Avro RPC uses for an event. Each event
 * is encoded straight into Avro's block, without a record object in between.
 */
final class FlumeEventAvroSerializer implements EventSerializer {
    /** Flume's Event schema, as Flume's avro_event serializer writes it into each file. */
    static final Schema SCHEMA = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Event\",\"fields\":["
            + "{\"name\":\"headers\",\"type\":{\"type\":\"map\",\"values\":\"string\"}},"
            + "{\"name\":\"body\",\"type\":\"bytes\"}]}");

    private final AvroContainer container;
    private final OutputStream out;
    private DataFileWriter<Event> writer;

    private FlumeEventAvroSerializer(AvroContainer container, OutputStream out) {
        this.container = container;
        this.out = out;
    }

    static Factory factory(AvroContainer container) {
        return new Factory() {
            @Override
            public EventSerializer create(OutputStream out, org.apache.hadoop.conf.Configuration conf) {
                return new FlumeEventAvroSerializer(container, out);
            }

            @Override
            public String toString() {
                return "avro_event, codec " + container;
            }
        };
    }

    @Override
    public void afterCreate() throws IOException {
        writer = container.create(SCHEMA, new EventWriter(), out);
    }

    @Override
    public void write(Event event) throws IOException {
        writer.append(event);
    }

    @Override
    public void flush() throws IOException {
        // Ends the block under way, so everything written is in complete blocks readers can decode.
        writer.flush();
    }

    /** An event as Flume's Event record: the headers as a map of strings, then the body as bytes. */
    private static final class EventWriter implements DatumWriter<Event> {
        @Override
        public void setSchema(Schema schema) {
            // Always Flume's Event schema.
        }

        @Override
        public void write(Event event, Encoder encoder) throws IOException {
            Map<String, String> headers = event.getHeaders();
            encoder.writeMapStart();
            encoder.setItemCount(headers.size());
            for (Map.Entry<String, String> header : headers.entrySet()) {
                encoder.startItem();
                encoder.writeString(header.getKey());
                encoder.writeString(header.getValue());
            }
            encoder.writeMapEnd();
            encoder.writeBytes(event.getBody());
        }
    }
}
