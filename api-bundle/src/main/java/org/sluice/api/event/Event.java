package org.sluice.api.event;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One event: string headers and an opaque body. Events are mutable, as in Flume, so interceptors can change
 * them in place; once put into a channel an event belongs to the channel and must not be changed.
 */
@ConsumerType
public interface Event {

    /** The headers; never null. The map is the event's own: changes to it change the event. */
    Map<String, String> getHeaders();

    void setHeaders(Map<String, String> headers);

    /** The body; never null (an empty body is a zero-length array). */
    byte[] getBody();

    void setBody(byte[] body);
}
