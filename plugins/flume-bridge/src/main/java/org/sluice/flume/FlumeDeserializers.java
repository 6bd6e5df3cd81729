package org.sluice.flume;

import java.io.IOException;

import org.apache.flume.serialization.LengthMeasurable;
import org.apache.flume.serialization.RemoteMarkable;
import org.apache.flume.serialization.ResettableInputStream;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.format.EventDeserializer;
import org.sluice.api.format.EventDeserializerFactory;
import org.sluice.api.format.PositionedInput;

/**
 * The deserializers of one Flume {@code EventDeserializer.Builder} class of a plugin, offered to the spooldir source
 * ({@code deserializer}). Each is made as Flume makes it for a file: the builder's public no-argument constructor,
 * then {@code build} with a {@code Context} of the source's keys under {@code deserializer.} and the file as Flume's
 * {@link ResettableInputStream}, whose mark is the position the source saves.
 */
final class FlumeDeserializers extends FlumeClassFactory implements EventDeserializerFactory {

    FlumeDeserializers(PluginClasses plugin, String className) {
        super(plugin, className);
    }

    @Override
    public EventDeserializer create(ComponentContext owner, String keyPrefix, PositionedInput input)
            throws ConfigurationException {
        PluginCall call = call(owner, null, null);
        return new Adapter(buildPart(org.apache.flume.serialization.EventDeserializer.Builder.class, owner, keyPrefix,
                call, (builder, context) -> builder.build(context, new FlumeInput(input))), call);
    }

    /** Flume's deserializer under Sluice's interface, its code run with the plugin's class loader. */
    private record Adapter(org.apache.flume.serialization.EventDeserializer deserializer, PluginCall call)
            implements EventDeserializer {

        @Override
        public Event readEvent() throws IOException {
            return FlumeEvents.toSluice(call.call(deserializer::readEvent));
        }

        @Override
        public void mark() throws IOException {
            call.run(deserializer::mark);
        }

        @Override
        public void reset() throws IOException {
            call.run(deserializer::reset);
        }

        @Override
        public void close() throws IOException {
            call.run(deserializer::close);
        }
    }

    /**
     * The source's input as Flume's stream of a spooled file ({@code ResettableFileInputStream}): its mark is
     * {@link RemoteMarkable} (Flume's Avro deserializer marks a block's start) and its length
     * {@link LengthMeasurable}. Closing it does nothing: the source closes the file.
     */
    static final class FlumeInput extends ResettableInputStream implements RemoteMarkable, LengthMeasurable {
        private final PositionedInput input;

        FlumeInput(PositionedInput input) {
            this.input = input;
        }

        @Override
        public int read() throws IOException {
            return input.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return input.read(b, off, len);
        }

        @Override
        public int readChar() throws IOException {
            return input.readChar();
        }

        @Override
        public void mark() throws IOException {
            input.mark();
        }

        @Override
        public void markPosition(long position) throws IOException {
            input.markPosition(position);
        }

        @Override
        public long getMarkPosition() {
            return input.markedPosition();
        }

        @Override
        public void reset() throws IOException {
            input.reset();
        }

        @Override
        public void seek(long position) throws IOException {
            input.seek(position);
        }

        @Override
        public long tell() throws IOException {
            return input.tell();
        }

        @Override
        public long length() {
            return input.length();
        }

        @Override
        public void close() {
        }
    }
}
