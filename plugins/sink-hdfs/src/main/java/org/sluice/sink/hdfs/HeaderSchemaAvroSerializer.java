package org.sluice.sink.hdfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.nio.ByteBuffer;
import java.util.Locale;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sluice.api.event.Event;

/**
 * Flume's {@code org.apache.flume.sink.hdfs.AvroEventSerializer$Builder}: each body is a record already in
 * Avro's binary encoding, written as it is into an Avro container file whose schema comes with the events:
 * the header {@code flume.avro.schema.url} (a URL to read the schema from; {@code hdfs://} through the sink's
 * Hadoop, as its files), else {@code flume.avro.schema.literal} (the schema's JSON), else the sink's
 * {@code serializer.schemaURL}. The first event of a file decides its schema, as in Flume; unlike Flume, an
 * event whose schema header differs starts a new file rather than going into one whose schema is not its own.
 * An event without any schema fails its batch, naming the headers and the key, and stays in the channel.
 * A schema is read once per file, as in Flume, so a schema changed at its URL applies from the next file.
 */
final class HeaderSchemaAvroSerializer implements EventSerializer {
    static final String URL_HEADER = "flume.avro.schema.url";
    static final String LITERAL_HEADER = "flume.avro.schema.literal";
    static final String SCHEMA_URL_KEY = "serializer.schemaURL";

    private final Schemas schemas;
    private final AvroContainer container;
    private final OutputStream out;
    private final Configuration conf;
    private DataFileWriter<Object> writer;

    private HeaderSchemaAvroSerializer(Schemas schemas, AvroContainer container, OutputStream out,
            Configuration conf) {
        this.schemas = schemas;
        this.container = container;
        this.out = out;
        this.conf = conf;
    }

    /** @param staticSchemaUrl serializer.schemaURL, or empty */
    static Factory factory(AvroContainer container, String staticSchemaUrl) {
        Schemas schemas = new Schemas(staticSchemaUrl);
        return new Factory() {
            @Override
            public EventSerializer create(OutputStream out, Configuration conf) {
                return new HeaderSchemaAvroSerializer(schemas, container, out, conf);
            }

            @Override
            public Object fileKey(Event event) {
                return schemas.keyOf(event);
            }

            @Override
            public String toString() {
                return "Avro records with the schema of their headers, codec " + container;
            }
        };
    }

    @Override
    public void write(Event event) throws IOException {
        if (writer == null) {
            Schema schema = schemas.of(event, conf);
            // The body is the record already encoded: the datum writer is never asked to encode anything.
            writer = container.create(schema, new GenericDatumWriter<>(schema), out);
        }
        writer.appendEncoded(ByteBuffer.wrap(event.getBody()));
    }

    @Override
    public void flush() throws IOException {
        if (writer != null) {
            // Ends the block under way, so everything written is in complete blocks readers can decode.
            writer.flush();
        }
    }

    /** Where each event's schema comes from. */
    static final class Schemas {
        private final String staticUrl;

        Schemas(String staticUrl) {
            this.staticUrl = staticUrl.trim();
        }

        /** What names the event's schema, in Flume's order: the URL header, the literal header, schemaURL. */
        String keyOf(Event event) {
            String url = event.getHeaders().get(URL_HEADER);
            if (url != null) {
                return "url:" + url;
            }
            String literal = event.getHeaders().get(LITERAL_HEADER);
            if (literal != null) {
                return "literal:" + literal;
            }
            return staticUrl.isEmpty() ? null : "url:" + staticUrl;
        }

        /** Runs on a Hadoop call thread, as the sink's user: an hdfs:// schema is read as the sink's files are. */
        Schema of(Event event, Configuration conf) throws IOException {
            String url = event.getHeaders().get(URL_HEADER);
            String literal = event.getHeaders().get(LITERAL_HEADER);
            if (url == null && literal != null) {
                try {
                    return new Schema.Parser().parse(literal);
                } catch (SchemaParseException e) {
                    throw new IOException("the event header " + LITERAL_HEADER + " is not an Avro schema: "
                            + e.getMessage(), e);
                }
            }
            if (url == null) {
                url = staticUrl;
            }
            if (url.isEmpty()) {
                throw new IOException("an event has neither the header " + URL_HEADER + " nor " + LITERAL_HEADER
                        + ", and " + SCHEMA_URL_KEY + " is not set: its Avro schema is unknown (headers: "
                        + event.getHeaders().keySet() + ")");
            }
            return read(url, conf);
        }

        private static Schema read(String url, Configuration conf) throws IOException {
            String source = url.equals(url.trim()) ? url : "'" + url + "'";
            try {
                if (url.toLowerCase(Locale.ROOT).startsWith("hdfs://")) {
                    // An instance of its own, closed after: the sink's cached file systems are created and closed
                    // by the sink's thread, and this runs inside one of its Hadoop calls.
                    try (FileSystem fs = FileSystem.newInstance(URI.create(url), conf);
                            InputStream in = fs.open(new Path(url))) {
                        return new Schema.Parser().parse(in);
                    }
                }
                try (InputStream in = new URL(url).openStream()) {
                    return new Schema.Parser().parse(in);
                }
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot read the Avro schema at " + source + " (" + URL_HEADER + " or "
                        + SCHEMA_URL_KEY + "): " + e, e);
            }
        }
    }
}
