package org.sluice.support.tls;

/**
 * The configuration keys {@link Tls} reads, Flume 1.11's names. A factory includes the set its component accepts
 * ({@link TlsConfig}) in its configuration type, so the platform knows them; {@link Tls} reads their raw values,
 * because a key left out must fall back to the agent-wide setting ({@link GlobalTls}) rather than to a default.
 */
public final class TlsKeys {
    /** Whether the component uses TLS at all ({@link Tls#enabled}). */
    public static final String SSL = "ssl";
    public static final String KEYSTORE = "keystore";
    public static final String KEYSTORE_PASSWORD = "keystore-password";
    public static final String KEYSTORE_TYPE = "keystore-type";
    public static final String TRUSTSTORE = "truststore";
    public static final String TRUSTSTORE_PASSWORD = "truststore-password";
    public static final String TRUSTSTORE_TYPE = "truststore-type";
    /** A client's: accept any server certificate. */
    public static final String TRUST_ALL_CERTS = "trust-all-certs";
    public static final String INCLUDE_PROTOCOLS = "include-protocols";
    public static final String EXCLUDE_PROTOCOLS = "exclude-protocols";
    public static final String INCLUDE_CIPHER_SUITES = "include-cipher-suites";
    public static final String EXCLUDE_CIPHER_SUITES = "exclude-cipher-suites";
    /** Sluice's: {@code none}, {@code optional} or {@code required} (see {@link ClientAuth}). */
    public static final String SSL_CLIENT_AUTH = "ssl-client-auth";

    /** The store type when neither the component nor the agent names one, as in Flume. */
    public static final String DEFAULT_STORE_TYPE = "JKS";
    /** Always excluded, whatever the component's exclude-protocols says, as in Flume. */
    public static final String ALWAYS_EXCLUDED_PROTOCOL = "SSLv3";

    private TlsKeys() {
    }
}
