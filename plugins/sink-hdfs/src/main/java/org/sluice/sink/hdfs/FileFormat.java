package org.sluice.sink.hdfs;

import java.io.BufferedOutputStream;
import java.io.IOException;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.compress.CodecPool;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionOutputStream;
import org.apache.hadoop.io.compress.Compressor;
import org.sluice.api.event.Event;

/**
 * Flume's {@code hdfs.fileType}s: how the events of one file are laid out. Each {@link Writer} owns one
 * open file; {@link Writer#sync()} makes everything appended so far readable and durable in HDFS (hflush),
 * which is what a batch waits for before its commit.
 */
abstract class FileFormat {
    /** What the DataStream format gathers before writing to Hadoop's stream. */
    static final int WRITE_BUFFER_BYTES = 64 * 1024;


    /** One open file. Not thread-safe: the sink calls it from one thread at a time. */
    interface Writer {
        void append(Event event) throws IOException;

        /** Everything appended so far is hflushed: it survives this client and is visible to readers. */
        void sync() throws IOException;

        /** Syncs, writes any trailer and closes the file. */
        void close() throws IOException;
    }

    /** Creates {@code path} (never over an existing file) and returns its writer. */
    abstract Writer create(FileSystem fs, Path path, Configuration conf) throws IOException;

    /** The file-name extension Flume adds when hdfs.fileSuffix is empty: the codec's, if any. */
    abstract String defaultExtension();

    /** Events of different keys never share a file ({@link EventSerializer.Factory#fileKey}); null for any event. */
    Object fileKey(Event event) {
        return null;
    }

    /** {@code DataStream}: the serializer's bytes, uncompressed. */
    static FileFormat dataStream(EventSerializer.Factory serializer) {
        return new FileFormat() {
            @Override
            Writer create(FileSystem fs, Path path, Configuration conf) throws IOException {
                FSDataOutputStream out = fs.create(path, false);
                // The serializer writes a body and a newline at a time: gathered here, they reach Hadoop's
                // stream in large writes. Every sync and close empties the buffer first.
                BufferedOutputStream buffered = new BufferedOutputStream(out, WRITE_BUFFER_BYTES);
                EventSerializer events;
                try {
                    events = serializer.create(buffered, conf);
                    events.afterCreate();
                } catch (IOException | RuntimeException e) {
                    closeAfterFailure(fs, path, out, e);
                    throw e;
                }
                return new Writer() {
                    @Override
                    public void append(Event event) throws IOException {
                        events.write(event);
                    }

                    @Override
                    public void sync() throws IOException {
                        events.flush();
                        buffered.flush();
                        out.hflush();
                    }

                    @Override
                    public void close() throws IOException {
                        events.beforeClose();
                        buffered.flush();
                        out.hflush();
                        out.close();
                    }
                };
            }

            @Override
            String defaultExtension() {
                return "";
            }

            @Override
            Object fileKey(Event event) {
                return serializer.fileKey(event);
            }

            @Override
            public String toString() {
                return "DataStream (" + serializer + ")";
            }
        };
    }

    /**
     * {@code CompressedStream}: the serializer's bytes through the codec. Each sync finishes the compressed
     * stream (a gzip member, a bzip2 stream) so that what was synced decompresses on its own; the next
     * append starts a new one. Readers of concatenated streams (Hadoop's codecs, gzip) read them as one.
     */
    static FileFormat compressedStream(EventSerializer.Factory serializer, CompressionCodec codec) {
        return new FileFormat() {
            @Override
            Writer create(FileSystem fs, Path path, Configuration conf) throws IOException {
                FSDataOutputStream out = fs.create(path, false);
                Compressor compressor = null;
                CompressionOutputStream compressing;
                EventSerializer events;
                try {
                    compressor = CodecPool.getCompressor(codec, conf);
                    compressing = codec.createOutputStream(out, compressor);
                    events = serializer.create(compressing, conf);
                    events.afterCreate();
                } catch (IOException | RuntimeException e) {
                    if (compressor != null) {
                        CodecPool.returnCompressor(compressor);
                    }
                    closeAfterFailure(fs, path, out, e);
                    throw e;
                }
                Compressor pooled = compressor;
                return new Writer() {
                    private boolean finished;

                    @Override
                    public void append(Event event) throws IOException {
                        if (finished) {
                            compressing.resetState();
                            finished = false;
                        }
                        events.write(event);
                    }

                    @Override
                    public void sync() throws IOException {
                        if (!finished) {
                            events.flush();
                            compressing.finish();
                            finished = true;
                        }
                        out.hflush();
                    }

                    @Override
                    public void close() throws IOException {
                        try {
                            if (!finished) {
                                events.beforeClose();
                                compressing.finish();
                                finished = true;
                            }
                            out.hflush();
                            out.close();
                        } finally {
                            CodecPool.returnCompressor(pooled);
                        }
                    }
                };
            }

            @Override
            String defaultExtension() {
                return codec.getDefaultExtension();
            }

            @Override
            Object fileKey(Event event) {
                return serializer.fileKey(event);
            }

            @Override
            public String toString() {
                return "CompressedStream (" + codec.getClass().getSimpleName() + ", " + serializer + ")";
            }
        };
    }

    /**
     * {@code SequenceFile}: one record per event, the key a LongWritable of the event's timestamp header (the
     * local clock when it has none), the value its body as BytesWritable ({@code hdfs.writeFormat = Writable})
     * or Text. With a codec the file is block-compressed, as in Flume.
     */
    static FileFormat sequenceFile(boolean text, CompressionCodec codec) {
        return new FileFormat() {
            @Override
            Writer create(FileSystem fs, Path path, Configuration conf) throws IOException {
                FSDataOutputStream out = fs.create(path, false);
                SequenceFile.Writer writer;
                try {
                    SequenceFile.CompressionType type = codec == null ? SequenceFile.CompressionType.NONE
                            : SequenceFile.CompressionType.BLOCK;
                    writer = codec == null
                            ? SequenceFile.createWriter(conf, SequenceFile.Writer.stream(out),
                                    SequenceFile.Writer.keyClass(LongWritable.class),
                                    SequenceFile.Writer.valueClass(text ? Text.class : BytesWritable.class),
                                    SequenceFile.Writer.compression(type))
                            : SequenceFile.createWriter(conf, SequenceFile.Writer.stream(out),
                                    SequenceFile.Writer.keyClass(LongWritable.class),
                                    SequenceFile.Writer.valueClass(text ? Text.class : BytesWritable.class),
                                    SequenceFile.Writer.compression(type, codec));
                } catch (IOException | RuntimeException e) {
                    closeAfterFailure(fs, path, out, e);
                    throw e;
                }
                return new Writer() {
                    private final LongWritable key = new LongWritable();
                    private boolean unsynced;

                    @Override
                    public void append(Event event) throws IOException {
                        key.set(timestampOf(event));
                        Writable value = text ? new Text(event.getBody()) : new BytesWritable(event.getBody());
                        writer.append(key, value);
                        unsynced = true;
                    }

                    @Override
                    public void sync() throws IOException {
                        if (unsynced) {
                            // A block-compressed writer holds records until sync() writes the block; an
                            // uncompressed one writes a sync marker, which readers use to split the file.
                            writer.sync();
                            unsynced = false;
                        }
                        out.hflush();
                    }

                    @Override
                    public void close() throws IOException {
                        // The writer was given the stream, so it does not close it: that is done here.
                        writer.close();
                        out.hflush();
                        out.close();
                    }
                };
            }

            @Override
            String defaultExtension() {
                return codec == null ? "" : codec.getDefaultExtension();
            }

            @Override
            public String toString() {
                return "SequenceFile (" + (text ? "Text" : "Writable")
                        + (codec == null ? "" : ", " + codec.getClass().getSimpleName()) + ")";
            }
        };
    }

    static long timestampOf(Event event) {
        String value = event.getHeaders().get(PathTemplate.TIMESTAMP_HEADER);
        if (value != null) {
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                // Flume's serializers fall back to the clock for a header that is not a number: so does this.
                return System.currentTimeMillis();
            }
        }
        return System.currentTimeMillis();
    }

    /**
     * The file was just created and its writer could not be set up: it holds no event, so it is removed rather
     * than left behind under its in-use name at every failed attempt.
     */
    private static void closeAfterFailure(FileSystem fs, Path path, FSDataOutputStream out, Exception cause) {
        try {
            out.close();
            fs.delete(path, false);
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
