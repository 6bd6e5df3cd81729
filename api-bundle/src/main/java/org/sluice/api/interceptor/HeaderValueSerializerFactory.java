package org.sluice.api.interceptor;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;

/**
 * Service interface of header value serializer plugins, registered with {@code sluice.type} naming the serializer
 * (a Flume {@code RegexExtractorInterceptorSerializer} class name).
 */
@ConsumerType
public interface HeaderValueSerializerFactory {

    /**
     * @param owner     the interceptor that uses it: agent and name for errors, and its keys
     * @param keyPrefix where the serializer's keys are among the owner's ({@code "serializers.s1."})
     */
    HeaderValueSerializer create(ComponentContext owner, String keyPrefix) throws ConfigurationException;
}
