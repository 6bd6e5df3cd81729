package org.sluice.support.tls;

import java.util.Locale;

/**
 * Whether a TLS server asks its clients for a certificate (Sluice's key {@code ssl-client-auth}; a Flume server
 * never asks). A certificate a client presents must be signed by an authority of the server's trust store.
 */
public enum ClientAuth {
    /** No certificate asked for: Flume's behaviour. */
    NONE,
    /** A certificate asked for; a client without one is still accepted. */
    OPTIONAL,
    /** A certificate required: a client without a trusted one fails the handshake. */
    REQUIRED;

    /** Parses a configured value in any case; null when it names no mode. */
    static ClientAuth named(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "none", "" -> NONE;
            case "optional" -> OPTIONAL;
            case "required" -> REQUIRED;
            default -> null;
        };
    }
}
