package org.sluice.sink.hdfs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.ByteArrayOutputStream;
import java.util.Locale;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.DatumWriter;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.sink.SinkContext;

/**
 * The settings of Flume's two Avro serializers, {@code serializer.compressionCodec} and
 * {@code serializer.syncIntervalBytes}, and the Avro {@link DataFileWriter} they make for each file. Avro
 * writes the container format itself: the header with the schema and the codec, blocks of about
 * syncIntervalBytes compressed as a whole, a sync marker after each.
 */
final class AvroContainer {
    static final String CODEC_KEY = "serializer.compressionCodec";
    static final String SYNC_INTERVAL_KEY = "serializer.syncIntervalBytes";
    /** The codecs Avro has, by the names Avro and Flume use. */
    static final String CODECS = "null, deflate, snappy, bzip2, xz, zstandard";

    private final String codecName;
    private final CodecFactory codec;
    private final int syncIntervalBytes;

    private AvroContainer(String codecName, CodecFactory codec, int syncIntervalBytes) {
        this.codecName = codecName;
        this.codec = codec;
        this.syncIntervalBytes = syncIntervalBytes;
    }

    /**
     * Checks the keys. Flume writes an uncompressed file when it does not know the codec, and says so only in
     * a warning; an unknown name here is a configuration error instead.
     */
    static AvroContainer of(SinkContext context, String codecName, int syncIntervalBytes)
            throws ConfigurationException {
        String name = codecName.trim().toLowerCase(Locale.ROOT);
        CodecFactory codec;
        try {
            codec = CodecFactory.fromString(name);
        } catch (AvroRuntimeException e) {
            throw context.configurationError(CODEC_KEY, "'" + codecName + "' is not an Avro codec; use one of "
                    + CODECS);
        }
        // Avro's own bounds for a block.
        if (syncIntervalBytes < 32 || syncIntervalBytes > (1 << 30)) {
            throw context.configurationError(SYNC_INTERVAL_KEY, "must be between 32 and 2^30 bytes, was "
                    + syncIntervalBytes);
        }
        return new AvroContainer(name, codec, syncIntervalBytes);
    }

    /**
     * Compresses a few bytes with the codec, at start: a codec whose library cannot be loaded (snappy-java,
     * xz or zstd-jni missing, or no native build for this machine) fails the start naming the key, rather than
     * every batch, or, as in Flume, a file silently written uncompressed.
     */
    void checkCodecLoads(SinkContext context) throws ConfigurationException {
        Schema schema = Schema.create(Schema.Type.INT);
        try (DataFileWriter<Object> writer = create(schema, new GenericDatumWriter<>(schema),
                new ByteArrayOutputStream())) {
            writer.append(42); // compressed when the writer closes its block
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Exception | Error e) { // LinkageError, and snappy-java's SnappyError for a missing native library
            throw new ConfigurationException(context.agentName(), context.componentName(), CODEC_KEY, "'"
                    + codecName + "' cannot be used: its library cannot be loaded here (" + e + ")", e);
        }
    }

    /** A writer for one file, its header written to {@code out}. */
    <D> DataFileWriter<D> create(Schema schema, DatumWriter<D> datumWriter, OutputStream out) throws IOException {
        DataFileWriter<D> writer = new DataFileWriter<>(datumWriter);
        writer.setCodec(codec);
        writer.setSyncInterval(syncIntervalBytes);
        return writer.create(schema, out);
    }

    @Override
    public String toString() {
        return codecName;
    }
}
