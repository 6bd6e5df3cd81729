/**
 * Event formats a component takes by name from the registry: serializers that write events into a file a sink
 * opened (file_roll, hdfs), and deserializers that read events out of a file a source reads (spooldir). A plugin
 * registers an {@link org.sluice.api.format.EventSerializerFactory} or
 * {@link org.sluice.api.format.EventDeserializerFactory} with {@code sluice.type} naming it, as for every component;
 * the component finds it through {@link org.sluice.api.component.ComponentContext#lookup} by the name its
 * configuration gives ({@code sink.serializer = com.example.MySerializer$Builder},
 * {@code deserializer = com.example.MyDeserializer$Builder}), and waits while no bundle provides it.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.sluice.api.format;
