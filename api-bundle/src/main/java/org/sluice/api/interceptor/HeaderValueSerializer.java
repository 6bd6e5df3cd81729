package org.sluice.api.interceptor;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns a value an interceptor extracted into the header value it sets: the {@code serializers.<s>.type} of Flume's
 * regex_extractor interceptor.
 */
@ConsumerType
public interface HeaderValueSerializer {

    /** The header value for {@code value}; null leaves the header out. */
    String serialize(String value);
}
