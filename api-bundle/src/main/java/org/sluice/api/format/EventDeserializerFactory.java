package org.sluice.api.format;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;

/**
 * Service interface of event deserializer plugins, registered with {@code sluice.type} naming the deserializer (a
 * Flume {@code EventDeserializer.Builder} class name); the spooldir source looks one up by its {@code deserializer}
 * key and makes one deserializer per file.
 */
@ConsumerType
public interface EventDeserializerFactory {

    /**
     * A deserializer reading {@code input}, which is at the position reading starts (0, or where a restart resumes)
     * and marked there.
     *
     * @param owner     the source that reads the file: its agent and name for errors, and its keys
     * @param keyPrefix where the deserializer's keys are among the owner's ({@code "deserializer."}); an error about
     *                  key {@code k} names {@code keyPrefix + k}
     */
    EventDeserializer create(ComponentContext owner, String keyPrefix, PositionedInput input)
            throws ConfigurationException;
}
