package org.sluice.source.http;

import java.io.IOException;

/** A request beyond the source's bounds: the client gets 413 and nothing of the request is kept. */
final class RequestTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    RequestTooLargeException(String message) {
        super(message);
    }
}
