package org.sluice.source.http;

import java.io.IOException;

/**
 * A request body beyond {@code max-request-size} (as sent or inflated), found while it is read: the client gets 413 and
 * nothing of the request is kept. An IOException, since it is thrown by the body's stream.
 */
final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(String message) {
        super(message);
    }
}
