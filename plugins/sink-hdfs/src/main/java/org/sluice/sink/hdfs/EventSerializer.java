package org.sluice.sink.hdfs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.apache.hadoop.conf.Configuration;
import org.sluice.api.event.Event;

/**
 * Turns events into the bytes of a DataStream or CompressedStream file. One instance per file: it may keep
 * a header already written or a block being filled.
 */
interface EventSerializer {

    /** Called once, right after the file was created. */
    default void afterCreate() throws IOException {
    }

    void write(Event event) throws IOException;

    /** Pushes everything written so far, as complete records, into the stream below. */
    void flush() throws IOException;

    /** Called once before the file is closed: the serializer's trailer, if it has one. */
    default void beforeClose() throws IOException {
        flush();
    }

    /** Makes a serializer for one file; one factory per sink. */
    interface Factory {
        /**
         * @param conf the sink's Hadoop configuration, for a serializer that reads from the cluster (a schema)
         */
        EventSerializer create(OutputStream out, Configuration conf);

        /**
         * Events whose keys differ are never written to the same file: the sink starts a new file for an event
         * whose key is not that of its bucket's open file. Null, the default, for every event: any events mix.
         */
        default Object fileKey(Event event) {
            return null;
        }
    }

    /** Flume's {@code text} and {@code header_and_text}: the body (after the header map) and a newline. */
    static Factory text(boolean withHeaders, boolean appendNewline) {
        return new Factory() {
            @Override
            public EventSerializer create(OutputStream out, Configuration conf) {
                return new EventSerializer() {
                    @Override
                    public void write(Event event) throws IOException {
                        if (withHeaders) {
                            out.write((event.getHeaders() + " ").getBytes(StandardCharsets.UTF_8));
                        }
                        out.write(event.getBody());
                        if (appendNewline) {
                            out.write('\n');
                        }
                    }

                    @Override
                    public void flush() {
                        // Writes go straight to the stream below; nothing is held here.
                    }
                };
            }

            @Override
            public String toString() {
                return withHeaders ? "HEADER_AND_TEXT" : "TEXT";
            }
        };
    }
}
