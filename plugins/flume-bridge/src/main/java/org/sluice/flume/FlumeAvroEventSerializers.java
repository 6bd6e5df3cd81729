package org.sluice.flume;

import java.io.OutputStream;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.format.EventSerializer;
import org.sluice.api.format.EventSerializerFactory;

/**
 * Flume's {@code avro_event} serializer for the sinks that take a serializer by name and have no Avro of their own
 * (file_roll's {@code sink.serializer = avro_event}): Flume 1.11's own class, which this bundle embeds, run as a
 * plugin's serializer is, so the files are Flume's byte for byte, with its keys ({@code syncIntervalBytes},
 * {@code compressionCodec}) under the sink's serializer prefix.
 */
@Component(service = EventSerializerFactory.class)
@SluiceType({"avro_event", FlumeAvroEventSerializers.BUILDER})
public final class FlumeAvroEventSerializers implements EventSerializerFactory {
    static final String BUILDER = "org.apache.flume.serialization.FlumeEventAvroEventSerializer$Builder";

    private final EventSerializerFactory flume = new FlumeSerializers(
            PluginClasses.of(FlumeAvroEventSerializers.class.getClassLoader(), "Flume 1.11 (the bridge's)"), BUILDER);

    @Override
    public EventSerializer create(ComponentContext owner, String keyPrefix, OutputStream out)
            throws ConfigurationException {
        return flume.create(owner, keyPrefix, out);
    }
}
