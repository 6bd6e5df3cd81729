package org.sluice.kafka;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.sluice.support.tls.GlobalTls;
import org.sluice.support.tls.GlobalTls.Setting;

/**
 * The settings one Kafka client (producer or consumer) is created with, assembled as Flume assembles them: the
 * component's defaults, then every {@code kafka.producer.*} or {@code kafka.consumer.*} key as the user wrote it,
 * then what the component must decide itself (bootstrap servers, group, no auto-commit). Then, as Flume does:
 *
 * <ul>
 *   <li>{@code ssl.disableTLSHostnameVerification = true} (Flume's own key, for a protocol with SSL) turns the
 *       client's host name check off ({@code ssl.endpoint.identification.algorithm} empty, which a Flume file cannot
 *       write); the key itself is not passed to the client;</li>
 *   <li>with {@code security.protocol} SSL or SASL_SSL, a key store and trust store the user did not name come from
 *       the agent's global TLS settings: the JVM's {@code javax.net.ssl.keyStore}, {@code keyStorePassword},
 *       {@code keyStoreType}, {@code trustStore}, {@code trustStorePassword}, {@code trustStoreType}, or else
 *       Flume's environment variables {@code FLUME_SSL_KEYSTORE_PATH} and so on.</li>
 * </ul>
 */
public final class KafkaSettings {
    /** Flume's key (in kafka.producer.* / kafka.consumer.*) for "no host name verification". */
    public static final String DISABLE_HOSTNAME_VERIFICATION = "ssl.disableTLSHostnameVerification";

    /** The Kafka client's key for each agent-wide store setting it may take from {@link GlobalTls}. */
    private static final Map<String, Setting> GLOBAL_TLS = Map.of(
            "ssl.keystore.location", Setting.KEY_STORE,
            "ssl.keystore.password", Setting.KEY_STORE_PASSWORD,
            "ssl.keystore.type", Setting.KEY_STORE_TYPE,
            "ssl.truststore.location", Setting.TRUST_STORE,
            "ssl.truststore.password", Setting.TRUST_STORE_PASSWORD,
            "ssl.truststore.type", Setting.TRUST_STORE_TYPE);

    private KafkaSettings() {
    }

    /**
     * The client's settings.
     *
     * @param defaults    the component's defaults, which the user's keys override
     * @param user        the user's keys with the {@code kafka.producer.} / {@code kafka.consumer.} prefix removed
     * @param fixed       what the component decides, which overrides the user's keys
     * @param global      the agent-wide TLS settings ({@link GlobalTls#ofJvm()} outside tests)
     */
    public static Map<String, Object> client(Map<String, String> defaults, Map<String, String> user,
            Map<String, String> fixed, GlobalTls global) {
        Map<String, Object> settings = new LinkedHashMap<>(defaults);
        settings.putAll(user);
        settings.putAll(fixed);
        Object disable = settings.remove(DISABLE_HOSTNAME_VERIFICATION);
        if (usesTls(settings)) {
            if (disable != null && "true".equalsIgnoreCase(disable.toString().trim())) {
                settings.put("ssl.endpoint.identification.algorithm", "");
            }
            GLOBAL_TLS.forEach((key, setting) -> {
                if (!settings.containsKey(key)) {
                    global.get(setting).ifPresent(value -> settings.put(key, value));
                }
            });
        }
        return settings;
    }

    /** True for security.protocol SSL or SASL_SSL (in any case, as the client reads it). */
    public static boolean usesTls(Map<String, Object> settings) {
        Object protocol = settings.get("security.protocol");
        if (protocol == null) {
            return false;
        }
        String name = protocol.toString().trim().toUpperCase(Locale.ROOT);
        return name.equals("SSL") || name.equals("SASL_SSL");
    }

    /** The settings for a log line: passwords, JAAS configurations and other secrets shown as {@code [hidden]}. */
    public static String forLog(Map<String, Object> settings) {
        Map<String, Object> shown = new TreeMap<>();
        for (Map.Entry<String, Object> entry : settings.entrySet()) {
            shown.put(entry.getKey(), secret(entry.getKey()) ? "[hidden]" : entry.getValue());
        }
        return shown.toString();
    }

    static boolean secret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("jaas") || k.contains("secret") || k.contains("token")
                || k.endsWith(".key") || k.contains("credentials");
    }
}
