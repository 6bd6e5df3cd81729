package org.sluice.api.source.http;

import java.io.IOException;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.event.Event;

/**
 * Turns one HTTP request into the events it carries, all of which the source puts into its channels in one
 * transaction: the client hears 200 only when they are committed. Called by several request threads at once.
 */
@ConsumerType
public interface HttpSourceHandler {

    /**
     * The events of {@code request}; an empty list is a valid request without events.
     *
     * @throws BadRequestException the body is not what the handler reads: the client gets 400 and nothing is kept
     * @throws IOException         the body could not be read (the client went away, or it exceeds the source's bound)
     */
    List<Event> getEvents(HttpSourceRequest request) throws BadRequestException, IOException;
}
