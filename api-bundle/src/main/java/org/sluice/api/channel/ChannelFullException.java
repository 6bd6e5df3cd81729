package org.sluice.api.channel;

/** A put or commit found no room in the channel; the sender should retry later. */
public class ChannelFullException extends ChannelException {
    private static final long serialVersionUID = 1L;

    public ChannelFullException(String message) {
        super(message);
    }
}
