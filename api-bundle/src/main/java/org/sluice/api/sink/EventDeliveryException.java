package org.sluice.api.sink;

/** Events could not be delivered; whatever was taken has been rolled back into the channel. */
public class EventDeliveryException extends Exception {
    private static final long serialVersionUID = 1L;

    public EventDeliveryException(String message) {
        super(message);
    }

    public EventDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }

    public EventDeliveryException(Throwable cause) {
        super(cause);
    }
}
