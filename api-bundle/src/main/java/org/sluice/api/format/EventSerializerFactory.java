package org.sluice.api.format;

import java.io.OutputStream;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;

/**
 * Service interface of event serializer plugins, registered with {@code sluice.type} naming the serializer (an alias,
 * a Flume {@code EventSerializer.Builder} class name).
 */
@ConsumerType
public interface EventSerializerFactory {

    /**
     * A serializer writing to {@code out}.
     *
     * @param owner     the sink that writes the file: its agent and name for errors, and its keys
     * @param keyPrefix where the serializer's keys are among the owner's ({@code "sink.serializer."},
     *                  {@code "serializer."}); an error about key {@code k} names {@code keyPrefix + k}
     */
    EventSerializer create(ComponentContext owner, String keyPrefix, OutputStream out) throws ConfigurationException;
}
