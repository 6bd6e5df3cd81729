package org.sluice.flume;

import java.io.IOException;
import java.io.OutputStream;

import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.format.EventSerializer;
import org.sluice.api.format.EventSerializerFactory;

/**
 * The serializers of one Flume {@code EventSerializer.Builder} class of a plugin, offered to the sinks that take a
 * serializer by name (file_roll's {@code sink.serializer}, hdfs's {@code serializer}). Each is made as Flume makes
 * it: the builder's public no-argument constructor, then {@code build} with a {@code Context} of the sink's keys
 * under the serializer's prefix and the stream of the file the sink opened.
 */
final class FlumeSerializers extends FlumeClassFactory implements EventSerializerFactory {

    FlumeSerializers(PluginClasses plugin, String className) {
        super(plugin, className);
    }

    @Override
    public EventSerializer create(ComponentContext owner, String keyPrefix, OutputStream out)
            throws ConfigurationException {
        // A serializer keeps no counters of Sluice's; a counter group it makes is its own, as in Flume.
        PluginCall call = call(owner, null, null);
        return new Adapter(buildPart(org.apache.flume.serialization.EventSerializer.Builder.class, owner, keyPrefix,
                call, (builder, context) -> builder.build(context, out)), call);
    }

    /**
     * The event as an instance of Flume's own {@code SimpleEvent}, sharing body and headers: Flume's Avro serializers
     * read an event's {@code headers} and {@code body} fields by reflection, which Flume's event classes have.
     */
    static org.apache.flume.Event flumeEvent(Event event) {
        org.apache.flume.event.SimpleEvent flume = new org.apache.flume.event.SimpleEvent();
        flume.setBody(event.getBody());
        flume.setHeaders(event.getHeaders());
        return flume;
    }

    /** Flume's serializer under Sluice's interface, its code run with the plugin's class loader. */
    private record Adapter(org.apache.flume.serialization.EventSerializer serializer, PluginCall call)
            implements EventSerializer {

        @Override
        public void afterCreate() throws IOException {
            call.run(serializer::afterCreate);
        }

        @Override
        public void afterReopen() throws IOException {
            call.run(serializer::afterReopen);
        }

        @Override
        public void write(Event event) throws IOException {
            call.run(() -> serializer.write(flumeEvent(event)));
        }

        @Override
        public void flush() throws IOException {
            call.run(serializer::flush);
        }

        @Override
        public void beforeClose() throws IOException {
            call.run(serializer::beforeClose);
        }

        @Override
        public boolean supportsReopen() {
            return call.call(serializer::supportsReopen);
        }
    }
}
