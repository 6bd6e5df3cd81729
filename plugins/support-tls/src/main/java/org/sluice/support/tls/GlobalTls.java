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

    /** The agent-wide settings: each a system property, and the environment variable that stands in for it. */
    public enum Setting {
        KEY_STORE("javax.net.ssl.keyStore", "FLUME_SSL_KEYSTORE_PATH"),
        KEY_STORE_PASSWORD("javax.net.ssl.keyStorePassword", "FLUME_SSL_KEYSTORE_PASSWORD"),
        KEY_STORE_TYPE("javax.net.ssl.keyStoreType", "FLUME_SSL_KEYSTORE_TYPE"),
        TRUST_STORE("javax.net.ssl.trustStore", "FLUME_SSL_TRUSTSTORE_PATH"),
        TRUST_STORE_PASSWORD("javax.net.ssl.trustStorePassword", "FLUME_SSL_TRUSTSTORE_PASSWORD"),
        TRUST_STORE_TYPE("javax.net.ssl.trustStoreType", "FLUME_SSL_TRUSTSTORE_TYPE"),
        INCLUDE_PROTOCOLS("flume.ssl.include.protocols", "FLUME_SSL_INCLUDE_PROTOCOLS"),
        EXCLUDE_PROTOCOLS("flume.ssl.exclude.protocols", "FLUME_SSL_EXCLUDE_PROTOCOLS"),
        INCLUDE_CIPHER_SUITES("flume.ssl.include.cipherSuites", "FLUME_SSL_INCLUDE_CIPHERSUITES"),
        EXCLUDE_CIPHER_SUITES("flume.ssl.exclude.cipherSuites", "FLUME_SSL_EXCLUDE_CIPHERSUITES");

        private final String property;
        private final String variable;

        Setting(String property, String variable) {
            this.property = property;
            this.variable = variable;
        }

        public String systemProperty() {
            return property;
        }

        public String environmentVariable() {
            return variable;
        }
    }

    /** The setting's system property, else its environment variable; empty when neither is set. */
    public Optional<String> get(Setting setting) {
        String value = properties.apply(setting.property);
        return Optional.ofNullable(value != null ? value : environment.apply(setting.variable));
    }

    /** Says which settings are present, never their values: passwords must not reach a log. */
    @Override
    public String toString() {
        return "GlobalTls[keyStore=" + get(Setting.KEY_STORE).isPresent() + ", trustStore="
                + get(Setting.TRUST_STORE).isPresent() + "]";
    }
}
