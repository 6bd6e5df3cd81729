package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class SslEnvironmentTest {

    @Test
    void aVariableFillsInOnlyAPropertyThatIsNotSet() {
        Properties system = new Properties();
        system.setProperty("javax.net.ssl.keyStore", "/from/command/line.jks");
        Map<String, String> environment = Map.of(
                "FLUME_SSL_KEYSTORE_PATH", "/from/environment.jks",
                "FLUME_SSL_KEYSTORE_PASSWORD", "secret",
                "FLUME_SSL_EXCLUDE_PROTOCOLS", "TLSv1,TLSv1.1");

        List<String> set = SslEnvironment.apply(system, environment);

        assertEquals("/from/command/line.jks", system.getProperty("javax.net.ssl.keyStore"));
        assertEquals("secret", system.getProperty("javax.net.ssl.keyStorePassword"));
        assertEquals("TLSv1,TLSv1.1", system.getProperty("flume.ssl.exclude.protocols"));
        assertNull(system.getProperty("javax.net.ssl.trustStore"));
        assertEquals(List.of("javax.net.ssl.keyStorePassword", "flume.ssl.exclude.protocols"), set);
    }
}
