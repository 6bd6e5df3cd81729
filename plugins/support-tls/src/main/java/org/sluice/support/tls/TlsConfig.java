package org.sluice.support.tls;

import org.sluice.api.component.IncludeKeys;

/**
 * Flume 1.11's TLS keys and defaults (and Sluice's client-certificate keys), declared once for every component
 * that speaks TLS. A factory includes the set of its role in its own configuration type,
 * {@code @IncludeKeys(TlsConfig.Server.class)}, so the platform knows and checks these keys, and asks {@link Tls}
 * for the component's TLS; it declares none of them itself.
 *
 * <p>The defaults here are what a user sees documented; {@link Tls} reads the raw values, because a key left out
 * falls back to the agent-wide {@code javax.net.ssl.*} setting (or its {@code FLUME_SSL_*} variable) rather than
 * to a default. Passwords are secret by their key names, so the platform never shows them.
 */
public final class TlsConfig {
    private TlsConfig() {
    }

    /** Whether the component uses TLS at all. */
    public @interface Switch {
        /** TLS on every connection, with the keys of the component's role. */
        boolean ssl() default false;
    }

    /** The protocols and cipher suites a connection may use, filtered from the JVM's. */
    public @interface Ciphers {
        /** Protocols not to use, separated by spaces; SSLv3 is never used. */
        String exclude$_$protocols() default TlsKeys.ALWAYS_EXCLUDED_PROTOCOL;

        /** Protocols to use, separated by spaces; empty: every one the JVM enables. */
        String include$_$protocols() default "";

        String exclude$_$cipher$_$suites() default "";

        String include$_$cipher$_$suites() default "";
    }

    /** A server's keys: the key store with its key and certificate ({@link Tls#server}). */
    @IncludeKeys({Switch.class, Ciphers.class})
    public @interface Server {
        /** Key store file with the server's key and certificate; not set: the JVM's javax.net.ssl.keyStore. */
        String keystore() default "";

        String keystore$_$password() default "";

        /** {@code JKS} or {@code PKCS12}. */
        String keystore$_$type() default TlsKeys.DEFAULT_STORE_TYPE;
    }

    /** A server's keys and Sluice's client certificates ({@link Tls#serverAuthenticatingClients}). */
    @IncludeKeys(Server.class)
    public @interface ServerAuthenticatingClients {
        /** Sluice's: {@code none} (Flume's behaviour), {@code optional} or {@code required}. */
        String ssl$_$client$_$auth() default "none";

        /** Sluice's: with ssl-client-auth, the authorities whose client certificates are accepted. */
        String truststore() default "";

        String truststore$_$password() default "";

        String truststore$_$type() default TlsKeys.DEFAULT_STORE_TYPE;
    }

    /** A client's keys: whom it trusts ({@link Tls#client}). */
    @IncludeKeys({Switch.class, Ciphers.class})
    public @interface Client {
        /** Trust any server certificate (no trust store needed). */
        boolean trust$_$all$_$certs() default false;

        /** Trust store file; not set: the JVM's javax.net.ssl.trustStore, or its default authorities. */
        String truststore() default "";

        String truststore$_$password() default "";

        String truststore$_$type() default TlsKeys.DEFAULT_STORE_TYPE;
    }

    /** A client's keys and Sluice's client certificate ({@link Tls#clientPresentingCertificate}). */
    @IncludeKeys(Client.class)
    public @interface ClientPresentingCertificate {
        /** Sluice's: the key store whose certificate is presented to a server that asks; not set: none. */
        String keystore() default "";

        String keystore$_$password() default "";

        String keystore$_$type() default TlsKeys.DEFAULT_STORE_TYPE;
    }
}
