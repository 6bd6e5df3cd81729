package org.sluice.platform.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one place that knows which configuration values are secret, for everything that shows configuration (log
 * lines, the shell, validate, JMX, /metrics): every key whose name says password, passwd or secret, in any case
 * ({@code keystore-password}, {@code truststore-password}, Kafka's {@code ssl.key.password} and
 * {@code ssl.keystore.password}, a JDBC {@code connection.password}, the file channel's
 * {@code encryption.keyProvider.keyStorePassword} and its {@code passwordFile} keys), Kafka's
 * {@code sasl.jaas.config} (which carries a password inline), and every key whose value a config filter supplied
 * (the parser lists them in {@link #FROM_FILTERS}). A Kerberos keytab is a path, not a secret.
 */
public final class SecretKeys {
    /** What a secret value is shown as. */
    public static final String REDACTED = "****";
    /** Bookkeeping key: the component's keys whose values came from config filters, comma-separated. */
    public static final String FROM_FILTERS = "sluice.secrets";

    private static final List<String> SECRET_WORDS = List.of("password", "passwd", "secret");
    private static final Set<String> SECRET_KEYS = Set.of("sasl.jaas.config");

    private SecretKeys() {
    }

    /** Whether {@code key}'s value is secret by its name alone. */
    public static boolean isSecret(String key) {
        String name = key.toLowerCase(Locale.ROOT);
        for (String word : SECRET_WORDS) {
            if (name.contains(word)) {
                return true;
            }
        }
        return SECRET_KEYS.stream().anyMatch(name::endsWith);
    }

    /** Whether {@code key}'s value is secret in a component configured with {@code properties}. */
    public static boolean isSecret(String key, Map<String, String> properties) {
        if (isSecret(key)) {
            return true;
        }
        String fromFilters = properties == null ? null : properties.get(FROM_FILTERS);
        return fromFilters != null && List.of(fromFilters.split(",")).contains(key);
    }

    /** {@code value} as it may be shown: {@link #REDACTED} for a secret. */
    public static String shown(String key, String value, Map<String, String> properties) {
        return isSecret(key, properties) ? REDACTED : value;
    }

    /** A copy of {@code properties} with every secret value redacted. */
    public static Map<String, String> redacted(Map<String, String> properties) {
        Map<String, String> copy = new LinkedHashMap<>();
        properties.forEach((key, value) -> copy.put(key, shown(key, value, properties)));
        return copy;
    }
}
