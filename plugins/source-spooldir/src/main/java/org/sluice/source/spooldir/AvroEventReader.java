package org.sluice.source.spooldir;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Flume's AVRO deserializer: one event per record of an Avro container file, the body being the record's
 * binary encoding (as Avro's generic writer writes it), with the schema's fingerprint
 * ({@code flume.avro.schema.hash}) or the schema itself ({@code flume.avro.schema.literal}) in a header.
 *
 * <p>The position is the number of records read, not a byte offset: a block is compressed as a whole, so a
 * record has no byte offset of its own. Seeking reads the block headers from the start, skipping their
 * data, and opens the block holding the record. Flume goes back to the last block start instead, which
 * delivers the block's earlier records twice; this resumes at the exact record. Codecs: {@code null} and
 * {@code deflate}; a file written with another codec is refused with an error naming it.
 */
final class AvroEventReader implements EventReader {
    static final String HASH_HEADER = "flume.avro.schema.hash";
    static final String LITERAL_HEADER = "flume.avro.schema.literal";
    private static final byte[] MAGIC = {'O', 'b', 'j', 1};
    private static final int SYNC_SIZE = 16;

    private final Path path;
    private final RandomAccessFile file;
    private final long limit;
    private final AvroSchema schema;
    private final boolean deflate;
    private final byte[] sync = new byte[SYNC_SIZE];
    private final long firstBlock;
    private final Map<String, String> headers;

    /** File offset of the next block header. */
    private long nextBlock;
    private AvroSchema.Input block;
    private long leftInBlock;
    /** Records read from the start of the file: the position. */
    private long records;

    AvroEventReader(Path path, long limit, boolean literalSchema) throws IOException {
        this.path = path;
        this.file = new RandomAccessFile(path.toFile(), "r");
        this.limit = limit;
        try {
            byte[] magic = new byte[MAGIC.length];
            readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(path + " is not an Avro container file (no Obj\\1 at its start)");
            }
            Map<String, byte[]> metadata = new HashMap<>();
            for (long count; (count = readLong()) != 0; ) {
                if (count < 0) {
                    count = -count;
                    readLong();
                }
                for (long i = 0; i < count; i++) {
                    String key = new String(readBytes(), StandardCharsets.UTF_8);
                    metadata.put(key, readBytes());
                }
            }
            readFully(sync);
            byte[] schemaJson = metadata.get("avro.schema");
            if (schemaJson == null) {
                throw new IOException(path + ": the Avro file has no avro.schema");
            }
            String json = new String(schemaJson, StandardCharsets.UTF_8);
            try {
                this.schema = AvroSchema.parse(json);
            } catch (IllegalArgumentException e) {
                throw new IOException(path + ": cannot read the Avro schema: " + e.getMessage(), e);
            }
            byte[] codecBytes = metadata.get("avro.codec");
            String codec = codecBytes == null ? "null" : new String(codecBytes, StandardCharsets.UTF_8);
            if (!codec.equals("null") && !codec.equals("deflate")) {
                throw new IOException(path + ": Avro codec '" + codec + "' is not supported (null and deflate are)");
            }
            this.deflate = codec.equals("deflate");
            this.firstBlock = file.getFilePointer();
            this.nextBlock = firstBlock;
            this.headers = literalSchema ? Map.of(LITERAL_HEADER, json) : Map.of(HASH_HEADER, schema.fingerprintHex());
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public byte[] next() throws IOException {
        while (leftInBlock == 0) {
            if (!loadBlock()) {
                return null;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try {
            schema.copyDatum(block, out);
        } catch (IllegalArgumentException e) {
            throw new IOException(path + ": record " + records + " does not match the file's schema: "
                    + e.getMessage(), e);
        }
        leftInBlock--;
        records++;
        return out.toByteArray();
    }

    /** Reads the block at nextBlock; false at the end of the file. */
    private boolean loadBlock() throws IOException {
        if (nextBlock >= limit) {
            return false;
        }
        file.seek(nextBlock);
        long count = readLong();
        long size = readLong();
        if (count < 0 || size < 0 || size > Integer.MAX_VALUE - 16) {
            throw new IOException(path + ": bad Avro block header at offset " + nextBlock);
        }
        byte[] data = new byte[(int) size];
        readFully(data);
        byte[] marker = new byte[SYNC_SIZE];
        readFully(marker);
        if (!Arrays.equals(marker, sync)) {
            throw new IOException(path + ": the Avro block at offset " + nextBlock + " does not end with the "
                    + "file's sync marker: the file is damaged");
        }
        nextBlock = file.getFilePointer();
        block = deflate ? inflate(data, nextBlock) : new AvroSchema.Input(data, data.length);
        leftInBlock = count;
        return true;
    }

    private AvroSchema.Input inflate(byte[] data, long at) throws IOException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(data);
            byte[] out = new byte[Math.max(64, data.length * 4)];
            int length = 0;
            while (!inflater.finished()) {
                if (length == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                int n = inflater.inflate(out, length, out.length - length);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break; // raw deflate data may end without a final marker the inflater sees
                }
                length += n;
            }
            return new AvroSchema.Input(out, length);
        } catch (DataFormatException e) {
            throw new IOException(path + ": the deflate block before offset " + at + " cannot be inflated", e);
        } finally {
            inflater.end();
        }
    }

    @Override
    public long position() {
        return records;
    }

    @Override
    public void seek(long position) throws IOException {
        if (position == records) {
            return;
        }
        nextBlock = firstBlock;
        block = null;
        leftInBlock = 0;
        long skipped = 0;
        while (true) {
            if (nextBlock >= limit) {
                if (skipped == position) {
                    records = position;
                    return;
                }
                throw new IOException(path + " has " + skipped + " records, fewer than the " + position + " to skip");
            }
            file.seek(nextBlock);
            long count = readLong();
            long size = readLong();
            if (skipped + count > position) {
                if (!loadBlock()) {
                    throw new IOException(path + ": the Avro block at offset " + nextBlock + " vanished");
                }
                records = skipped;
                for (long i = skipped; i < position; i++) {
                    next();
                }
                return;
            }
            skipped += count;
            nextBlock = file.getFilePointer() + size + SYNC_SIZE;
        }
    }

    private long readLong() throws IOException {
        long n = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift > 63) {
                throw new IOException(path + ": a variable-length integer is too long at offset " + file.getFilePointer());
            }
            int b = readByte();
            n |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        return (n >>> 1) ^ -(n & 1);
    }

    private byte[] readBytes() throws IOException {
        long length = readLong();
        if (length < 0 || length > limit) {
            throw new IOException(path + ": bad length " + length + " at offset " + file.getFilePointer());
        }
        byte[] bytes = new byte[(int) length];
        readFully(bytes);
        return bytes;
    }

    private int readByte() throws IOException {
        if (file.getFilePointer() >= limit) {
            throw new EOFException(path + " ends inside an Avro structure at offset " + file.getFilePointer());
        }
        int b = file.read();
        if (b < 0) {
            throw new EOFException(path + " became shorter than when it was picked up");
        }
        return b;
    }

    private void readFully(byte[] bytes) throws IOException {
        if (file.getFilePointer() + bytes.length > limit) {
            throw new EOFException(path + " ends inside an Avro structure at offset " + file.getFilePointer());
        }
        file.readFully(bytes);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
