package org.sluice.sink.hdfs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.sluice.api.event.Event;

/**
 * Flume's {@code avro_event} serializer: an Avro object container file whose records are Flume's
 * {@code Event} schema, {@code {headers: map<string>, body: bytes}}.
 *
 * <p>The container format is written here rather than with the Avro library, so the bundle carries no Avro,
 * Jackson or commons-compress of its own: it is a magic, a metadata map, a sync marker, then blocks of
 * (record count, byte size, records, sync marker). Records are buffered into a block until it reaches
 * {@code serializer.syncIntervalBytes}; {@link #flush()} ends the current block, so after a flush every
 * record written is in a complete block that readers can decode. The tests read the files with Avro's own
 * DataFileReader.
 */
final class AvroEventSerializer implements EventSerializer {
    /** Flume's FlumeEvent schema, as Flume's avro_event serializer writes it into each file. */
    static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Event\",\"fields\":["
            + "{\"name\":\"headers\",\"type\":{\"type\":\"map\",\"values\":\"string\"}},"
            + "{\"name\":\"body\",\"type\":\"bytes\"}]}";
    private static final byte[] MAGIC = {'O', 'b', 'j', 1};
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The codecs of {@code serializer.compressionCodec} this sink writes, by Avro's names. */
    enum Codec {
        NULL("null"), DEFLATE("deflate"), SNAPPY("snappy");

        final String avroName;

        Codec(String avroName) {
            this.avroName = avroName;
        }

        static Codec named(String name) {
            for (Codec codec : values()) {
                if (codec.avroName.equalsIgnoreCase(name.trim())) {
                    return codec;
                }
            }
            return null;
        }
    }

    private final OutputStream out;
    private final Codec codec;
    private final int syncIntervalBytes;
    private final byte[] sync = new byte[16];
    private final ByteArrayOutputStream block = new ByteArrayOutputStream(64 * 1024);
    private long blockCount;

    AvroEventSerializer(OutputStream out, Codec codec, int syncIntervalBytes) {
        this.out = out;
        this.codec = codec;
        this.syncIntervalBytes = syncIntervalBytes;
        RANDOM.nextBytes(sync);
    }

    static Factory factory(Codec codec, int syncIntervalBytes) {
        return out -> new AvroEventSerializer(out, codec, syncIntervalBytes);
    }

    @Override
    public void afterCreate() throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(MAGIC);
        Map<String, byte[]> meta = new LinkedHashMap<>();
        meta.put("avro.schema", SCHEMA.getBytes(StandardCharsets.UTF_8));
        meta.put("avro.codec", codec.avroName.getBytes(StandardCharsets.UTF_8));
        writeLong(header, meta.size());
        for (Map.Entry<String, byte[]> entry : meta.entrySet()) {
            writeBytes(header, entry.getKey().getBytes(StandardCharsets.UTF_8));
            writeBytes(header, entry.getValue());
        }
        writeLong(header, 0);
        header.write(sync);
        header.writeTo(out);
    }

    @Override
    public void write(Event event) throws IOException {
        Map<String, String> headers = event.getHeaders();
        if (!headers.isEmpty()) {
            // A map is written as blocks of entries ended by an empty block; one block holds them all.
            writeLong(block, headers.size());
            for (Map.Entry<String, String> header : headers.entrySet()) {
                writeBytes(block, header.getKey().getBytes(StandardCharsets.UTF_8));
                writeBytes(block, header.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        writeLong(block, 0);
        writeBytes(block, event.getBody());
        blockCount++;
        if (block.size() >= syncIntervalBytes) {
            writeBlock();
        }
    }

    @Override
    public void flush() throws IOException {
        writeBlock();
        out.flush();
    }

    private void writeBlock() throws IOException {
        if (blockCount == 0) {
            return;
        }
        byte[] data = compress(block.toByteArray());
        ByteArrayOutputStream frame = new ByteArrayOutputStream(data.length + 32);
        writeLong(frame, blockCount);
        writeLong(frame, data.length);
        frame.write(data);
        frame.write(sync);
        frame.writeTo(out);
        block.reset();
        blockCount = 0;
    }

    private byte[] compress(byte[] data) throws IOException {
        switch (codec) {
            case DEFLATE: {
                // Avro's deflate codec is raw deflate (no zlib header or checksum) at the default level.
                ByteArrayOutputStream compressed = new ByteArrayOutputStream(data.length / 2 + 16);
                Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
                try (DeflaterOutputStream deflating = new DeflaterOutputStream(compressed, deflater)) {
                    deflating.write(data);
                } finally {
                    deflater.end();
                }
                return compressed.toByteArray();
            }
            case SNAPPY: {
                // Avro's snappy codec: the raw snappy block, then the CRC-32 of the uncompressed bytes, big-endian.
                byte[] compressed = org.xerial.snappy.Snappy.compress(data);
                CRC32 crc = new CRC32();
                crc.update(data);
                long value = crc.getValue();
                byte[] framed = new byte[compressed.length + 4];
                System.arraycopy(compressed, 0, framed, 0, compressed.length);
                framed[compressed.length] = (byte) (value >>> 24);
                framed[compressed.length + 1] = (byte) (value >>> 16);
                framed[compressed.length + 2] = (byte) (value >>> 8);
                framed[compressed.length + 3] = (byte) value;
                return framed;
            }
            default:
                return data;
        }
    }

    /** Avro's long: zig-zag, then base-128 varint. */
    private static void writeLong(ByteArrayOutputStream out, long value) {
        long n = (value << 1) ^ (value >> 63);
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        writeLong(out, bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    @Override
    public String toString() {
        return "avro_event (" + codec.avroName + ")";
    }
}
