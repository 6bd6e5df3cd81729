package org.sluice.support.tls;

import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The agent-wide TLS settings a component falls back to for each key it does not set itself, as Flume 1.11
 * reads them: the JSSE system properties ({@code javax.net.ssl.keyStore}, ...) and Flume's own
 * ({@code flume.ssl.include.protocols}, ...), each of which, when not set, is taken from its environment
 * variable ({@code FLUME_SSL_KEYSTORE_PATH}, ...). Flume copies the variables into the system properties when
 * the agent starts; reading the variable where the property is missing gives every component the same values
 * without changing the JVM's properties under other bundles.
 *
 * <p>A key set on the component wins over a system property, which wins over an environment variable. Lists
 * are comma separated here (Flume's format for these properties); the components' own keys separate them by
 * spaces.
 */
public final class GlobalTls {
    private final UnaryOperator<String> properties;
    private final UnaryOperator<String> environment;

    private GlobalTls(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        this.properties = properties;
        this.environment = environment;
    }

    /** The settings of this JVM: its system properties and its environment. */
    public static GlobalTls ofJvm() {
        return new GlobalTls(System::getProperty, System::getenv);
    }

    /** Settings read from the given lookups (for tests, or an agent that keeps them elsewhere). */
    public static GlobalTls of(UnaryOperator<String> systemProperties, UnaryOperator<String> environment) {
        return new GlobalTls(systemProperties, environment);
    }

    public Optional<String> keyStore() {
        return value("javax.net.ssl.keyStore", "FLUME_SSL_KEYSTORE_PATH");
    }

    public Optional<String> keyStorePassword() {
        return value("javax.net.ssl.keyStorePassword", "FLUME_SSL_KEYSTORE_PASSWORD");
    }

    public Optional<String> keyStoreType() {
        return value("javax.net.ssl.keyStoreType", "FLUME_SSL_KEYSTORE_TYPE");
    }

    public Optional<String> trustStore() {
        return value("javax.net.ssl.trustStore", "FLUME_SSL_TRUSTSTORE_PATH");
    }

    public Optional<String> trustStorePassword() {
        return value("javax.net.ssl.trustStorePassword", "FLUME_SSL_TRUSTSTORE_PASSWORD");
    }

    public Optional<String> trustStoreType() {
        return value("javax.net.ssl.trustStoreType", "FLUME_SSL_TRUSTSTORE_TYPE");
    }

    public Optional<String> includeProtocols() {
        return value("flume.ssl.include.protocols", "FLUME_SSL_INCLUDE_PROTOCOLS");
    }

    public Optional<String> excludeProtocols() {
        return value("flume.ssl.exclude.protocols", "FLUME_SSL_EXCLUDE_PROTOCOLS");
    }

    public Optional<String> includeCipherSuites() {
        return value("flume.ssl.include.cipherSuites", "FLUME_SSL_INCLUDE_CIPHERSUITES");
    }

    public Optional<String> excludeCipherSuites() {
        return value("flume.ssl.exclude.cipherSuites", "FLUME_SSL_EXCLUDE_CIPHERSUITES");
    }

    private Optional<String> value(String property, String variable) {
        String value = properties.apply(property);
        return Optional.ofNullable(value != null ? value : environment.apply(variable));
    }

    /** Says which settings are present, never their values: passwords must not reach a log. */
    @Override
    public String toString() {
        return "GlobalTls[keyStore=" + keyStore().isPresent() + ", trustStore=" + trustStore().isPresent() + "]";
    }
}
