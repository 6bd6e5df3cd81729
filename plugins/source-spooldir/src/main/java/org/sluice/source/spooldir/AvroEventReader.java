package org.sluice.source.spooldir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.InvalidAvroMagicException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Flume's AVRO deserializer: one event per record of an Avro container file, read with Avro's own
 * {@link DataFileReader} (so every codec Avro has: null, deflate, snappy, bzip2, xz, zstandard). The body
 * is the record in Avro's binary encoding, as Avro's generic writer writes it; the header
 * {@code flume.avro.schema.hash} carries the schema's CRC-64-AVRO fingerprint, or, with
 * {@code schemaType = LITERAL}, {@code flume.avro.schema.literal} the schema itself.
 *
 * <p>The position is the number of records read: a block is compressed as a whole, so a record has no byte
 * offset of its own. Flume goes back to the start of the block on a retry or a restart, which delivers the
 * block's earlier records twice; this reader resumes at the exact record. It remembers where the recent
 * blocks start, so going back to the last committed record (a refused batch) reopens that block only; a
 * position from an earlier run is reached by skipping whole blocks from the start, decompressed but not
 * decoded.
 */
final class AvroEventReader implements EventReader {
    static final String HASH_HEADER = "flume.avro.schema.hash";
    static final String LITERAL_HEADER = "flume.avro.schema.literal";

    private final Path path;
    private final long limit;
    private final DataFileReader<GenericRecord> reader;
    private final GenericDatumWriter<GenericRecord> writer;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(256);
    private final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(body, null);
    private final Map<String, String> headers;
    /** Where the file's first block starts, after the header. */
    private final long firstBlock;
    /**
     * Blocks seen lately: the number of records before each, and the offset where it starts. At most
     * {@code rememberedBlocks}: a batch spans no more blocks than it has records, plus the one read ahead.
     */
    private final NavigableMap<Long, Long> blockStarts = new TreeMap<>();
    private final int rememberedBlocks;

    private GenericRecord record;
    /** Records of the loaded block not read yet. */
    private long leftInBlock;
    /** Records read from the start of the file: the position. */
    private long records;
    /** A read failed: Avro's place in the file no longer matches {@link #records}. */
    private boolean broken;

    /**
     * @param limit the size of the file when it was picked up
     * @param batchSize records per batch, so the blocks of a whole batch are remembered
     */
    AvroEventReader(Path path, long limit, boolean literalSchema, int batchSize) throws IOException {
        this.path = path;
        this.limit = limit;
        this.rememberedBlocks = batchSize + 2;
        FileRangeInput input = new FileRangeInput(path, limit);
        try {
            this.reader = new DataFileReader<>(input, new GenericDatumReader<>());
        } catch (InvalidAvroMagicException e) {
            input.close();
            throw new IOException(path + " is not an Avro container file (no Obj\\1 at its start)", e);
        } catch (IOException | RuntimeException e) {
            input.close();
            throw new IOException(path + ": cannot read the Avro container file's header: " + e, e);
        }
        Schema schema = reader.getSchema();
        this.writer = new GenericDatumWriter<>(schema);
        this.firstBlock = reader.previousSync();
        this.headers = literalSchema ? Map.of(LITERAL_HEADER, schema.toString())
                : Map.of(HASH_HEADER, HexFormat.of().formatHex(fingerprint(schema)));
    }

    private static byte[] fingerprint(Schema schema) {
        try {
            return SchemaNormalization.parsingFingerprint("CRC-64-AVRO", schema);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("Avro always has CRC-64-AVRO", e);
        }
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public byte[] next() throws IOException {
        if (broken) {
            // After a failure Avro's place in the block is unknown: back to the record that failed, so the
            // retry meets the same error at the same place instead of decoding from the middle of a record.
            reposition(records);
        }
        if (leftInBlock == 0) {
            if (!loadBlock()) {
                return null;
            }
        }
        try {
            record = reader.next(record);
            body.reset();
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw failure("record " + records + " cannot be read", e);
        } catch (LinkageError e) {
            throw codecMissing(e);
        }
        leftInBlock--;
        records++;
        return body.toByteArray();
    }

    /** Loads the next block and remembers where it starts; false at the end of the file. */
    private boolean loadBlock() throws IOException {
        if (!hasNext()) {
            return false;
        }
        // Between two blocks Avro's previous sync point is where the block just loaded starts.
        blockStarts.put(records, reader.previousSync());
        if (blockStarts.size() > rememberedBlocks) {
            blockStarts.pollFirstEntry();
        }
        leftInBlock = reader.getBlockCount();
        return true;
    }

    /** Loads the next block when the current one is done; false at the end of the file. */
    private boolean hasNext() throws IOException {
        boolean more;
        try {
            more = reader.hasNext();
        } catch (AvroRuntimeException e) {
            throw failure("the Avro block at offset " + reader.previousSync() + " cannot be read", e);
        } catch (LinkageError e) {
            throw codecMissing(e);
        }
        if (!more && reader.previousSync() < limit) {
            // Avro takes a block cut short for the end of the file. Complete files never end inside a block.
            broken = true;
            throw new IOException(path + " ends inside the Avro block that starts at offset " + reader.previousSync()
                    + " (the file has " + limit + " bytes): it is damaged or was not completely written");
        }
        return more;
    }

    private IOException failure(String what, Exception e) {
        broken = true;
        Throwable cause = e instanceof AvroRuntimeException && e.getCause() instanceof IOException ? e.getCause() : e;
        return new IOException(path + ": " + what + ": " + cause.getMessage(), cause);
    }

    /** A codec whose library is not there (zstd-jni, snappy-java, xz ... not installed, or no native build). */
    private IOException codecMissing(LinkageError e) {
        broken = true;
        return new IOException(path + ": the file's Avro codec '" + reader.getMetaString("avro.codec")
                + "' cannot be loaded here: " + e, e);
    }

    @Override
    public long position() {
        return records;
    }

    @Override
    public String positionUnit() {
        return "record";
    }

    @Override
    public void seek(long position) throws IOException {
        if (position != records || broken) {
            reposition(position);
        }
    }

    private void reposition(long position) throws IOException {
        broken = true; // until the block holding the position is loaded
        Map.Entry<Long, Long> known = blockStarts.floorEntry(position);
        try {
            reader.seek(known == null ? firstBlock : known.getValue());
            records = known == null ? 0 : known.getKey();
            leftInBlock = 0;
            // Whole blocks before the position: decompressed, not decoded.
            while (true) {
                if (!loadBlock()) {
                    if (records == position) {
                        broken = false;
                        return;
                    }
                    throw new IOException(path + " has " + records + " records, fewer than the " + position
                            + " to skip");
                }
                if (records + leftInBlock > position) {
                    break;
                }
                records += leftInBlock;
                leftInBlock = 0;
                reader.nextBlock();
            }
        } catch (AvroRuntimeException e) {
            throw failure("cannot go to record " + position, e);
        }
        broken = false;
        while (records < position) {
            next();
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
