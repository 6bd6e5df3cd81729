package org.sluice.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sluice.support.tls.GlobalTls;

class KafkaSettingsTest {
    private static final GlobalTls NONE = GlobalTls.of(name -> null, name -> null);

    @Test
    void defaultsThenTheUsersKeysThenWhatTheComponentDecides() {
        Map<String, Object> settings = KafkaSettings.client(Map.of("acks", "1", "linger.ms", "0"),
                Map.of("acks", "all", "bootstrap.servers", "ignored:1"), Map.of("bootstrap.servers", "b:9092"),
                NONE);
        assertEquals("all", settings.get("acks"));
        assertEquals("0", settings.get("linger.ms"));
        assertEquals("b:9092", settings.get("bootstrap.servers"));
    }

    @Test
    void flumesHostnameVerificationSwitchIsTranslatedAndNotPassedOn() {
        Map<String, Object> tls = KafkaSettings.client(Map.of(), Map.of("security.protocol", "SASL_SSL",
                KafkaSettings.DISABLE_HOSTNAME_VERIFICATION, "true"), Map.of(), NONE);
        assertEquals("", tls.get("ssl.endpoint.identification.algorithm"));
        assertFalse(tls.containsKey(KafkaSettings.DISABLE_HOSTNAME_VERIFICATION));

        Map<String, Object> plain = KafkaSettings.client(Map.of(), Map.of(KafkaSettings.DISABLE_HOSTNAME_VERIFICATION,
                "true"), Map.of(), NONE);
        assertFalse(plain.containsKey("ssl.endpoint.identification.algorithm"), "no TLS, nothing to verify");
        assertFalse(plain.containsKey(KafkaSettings.DISABLE_HOSTNAME_VERIFICATION));
    }

    @Test
    void globalStoresFromFlumesEnvironmentVariablesFillOnlyWhatTheUserDidNotName() {
        Map<String, String> environment = Map.of("FLUME_SSL_TRUSTSTORE_PATH", "/etc/trust.jks",
                "FLUME_SSL_TRUSTSTORE_PASSWORD", "env-secret", "FLUME_SSL_KEYSTORE_PATH", "/etc/key.jks");
        Map<String, Object> settings = KafkaSettings.client(Map.of(), Map.of("security.protocol", "ssl",
                "ssl.keystore.location", "/mine.jks"), Map.of(), GlobalTls.of(name -> null, environment::get));
        assertEquals("/etc/trust.jks", settings.get("ssl.truststore.location"));
        assertEquals("env-secret", settings.get("ssl.truststore.password"));
        assertEquals("/mine.jks", settings.get("ssl.keystore.location"));

        Map<String, Object> plain = KafkaSettings.client(Map.of(), Map.of(), Map.of(), GlobalTls.of(name -> null, environment::get));
        assertFalse(plain.containsKey("ssl.truststore.location"), "PLAINTEXT takes no stores");
    }

    @Test
    void aJvmPropertyWinsOverFlumesEnvironmentVariable() {
        GlobalTls global = GlobalTls.of(Map.of("javax.net.ssl.trustStore", "/jvm.jks")::get,
                Map.of("FLUME_SSL_TRUSTSTORE_PATH", "/env.jks")::get);
        Map<String, Object> settings = KafkaSettings.client(Map.of(), Map.of("security.protocol", "SSL"), Map.of(),
                global);
        assertEquals("/jvm.jks", settings.get("ssl.truststore.location"));
    }

    @Test
    void secretsNeverReachALogLine() {
        String line = KafkaSettings.forLog(Map.of("ssl.truststore.password", "s3cret", "sasl.jaas.config",
                "PlainLoginModule required username=\"u\" password=\"p4ss\";", "ssl.key.password", "k3y",
                "bootstrap.servers", "b:9092"));
        assertFalse(line.contains("s3cret") || line.contains("p4ss") || line.contains("k3y"), line);
        assertTrue(line.contains("b:9092"), line);
    }
}
