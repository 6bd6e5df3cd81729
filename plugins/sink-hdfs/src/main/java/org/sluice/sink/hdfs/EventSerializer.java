package org.sluice.sink.hdfs;

import java.io.IOException;
import java.io.OutputStream;

import org.apache.hadoop.conf.Configuration;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.format.EventSerializerFactory;
import org.sluice.api.sink.SinkContext;
import org.sluice.support.sink.TextEvents;

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
         * @throws IOException the serializer could not be made for this file: the file is given up
         */
        EventSerializer create(OutputStream out, Configuration conf) throws IOException;

        /**
         * Events whose keys differ are never written to the same file: the sink starts a new file for an event
         * whose key is not that of its bucket's open file. Null, the default, for every event: any events mix.
         */
        default Object fileKey(Event event) {
            return null;
        }
    }

    /**
     * A serializer a plugin provides ({@code serializer = com.example.MySerializer$Builder}), made for each file as
     * Flume makes it, with the sink's keys under {@code serializer.}.
     */
    static Factory plugin(EventSerializerFactory plugin, SinkContext context, String name) {
        return new Factory() {
            @Override
            public EventSerializer create(OutputStream out, Configuration conf) throws IOException {
                org.sluice.api.format.EventSerializer events;
                try {
                    events = plugin.create(context, "serializer.", out);
                } catch (ConfigurationException e) {
                    // Flume builds the serializer when it opens a file, too: the batch fails and is taken again.
                    throw new IOException("serializer " + name + " could not be made: " + e.getMessage(), e);
                }
                return new EventSerializer() {
                    @Override
                    public void afterCreate() throws IOException {
                        events.afterCreate();
                    }

                    @Override
                    public void write(Event event) throws IOException {
                        events.write(event);
                    }

                    @Override
                    public void flush() throws IOException {
                        events.flush();
                    }

                    @Override
                    public void beforeClose() throws IOException {
                        events.flush();
                        events.beforeClose();
                    }
                };
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** Flume's {@code text} and {@code header_and_text}: the body (after the header map) and a newline. */
    static Factory text(boolean withHeaders, boolean appendNewline) {
        return new Factory() {
            @Override
            public EventSerializer create(OutputStream out, Configuration conf) {
                return new EventSerializer() {
                    @Override
                    public void write(Event event) throws IOException {
                        TextEvents.write(out, event, withHeaders, appendNewline);
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
