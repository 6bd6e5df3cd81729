package org.sluice.api.source.http;

/** The request's body is not what the handler reads; the client gets 400 with this message. */
public class BadRequestException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadRequestException(String message) {
        super(message);
    }

    public BadRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
