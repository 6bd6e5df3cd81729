package org.sluice.support.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ConfigurationException;
import org.sluice.platform.config.TypedConfiguration;
import org.sluice.testkit.TestContexts;

/** Real handshakes on 127.0.0.1 between a server and a client set up from Flume's keys. */
class TlsTest {
    private static final GlobalTls NO_GLOBAL = GlobalTls.of(name -> null, name -> null);

    @TempDir
    static Path stores;
    private static TestKeyStores server;
    private static TestKeyStores client;
    private static TestKeyStores stranger;
    private static ExecutorService acceptor;

    @BeforeAll
    static void makeStores() throws Exception {
        server = TestKeyStores.create(Files.createDirectories(stores.resolve("server")), "JKS");
        client = TestKeyStores.create(Files.createDirectories(stores.resolve("client")), "PKCS12");
        stranger = TestKeyStores.create(Files.createDirectories(stores.resolve("stranger")), "JKS");
        acceptor = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stopAcceptor() {
        acceptor.shutdownNow();
    }

    @Test
    void aClientTrustingTheServersCertificateTalksToIt() throws Exception {
        Tls serverTls = server(serverKeys());
        Tls clientTls = client(trusting(server));
        SSLSession session = roundTrip(serverTls, clientTls);
        assertTrue(session.getProtocol().startsWith("TLSv1."), session.getProtocol());
        assertFalse(clientTls.protocols().contains("SSLv3"));
    }

    @Test
    void withoutATrustStoreTheJvmsAuthoritiesDecideAndASelfSignedServerIsRefused() throws Exception {
        Tls serverTls = server(serverKeys());
        assertThrows(IOException.class, () -> roundTrip(serverTls, client(Map.of())));
        // trust-all-certs accepts it, as in Flume.
        roundTrip(serverTls, client(Map.of("trust-all-certs", "true")));
    }

    @Test
    void theAgentWideStoresServeComponentsThatSetNone() throws Exception {
        // Only the environment: Flume's FLUME_SSL_* variables.
        GlobalTls environment = GlobalTls.of(name -> null, Map.of(
                "FLUME_SSL_KEYSTORE_PATH", server.keyStore().toString(),
                "FLUME_SSL_KEYSTORE_PASSWORD", TestKeyStores.PASSWORD,
                "FLUME_SSL_TRUSTSTORE_PATH", server.trustStore().toString(),
                "FLUME_SSL_TRUSTSTORE_PASSWORD", TestKeyStores.PASSWORD)::get);
        roundTrip(Tls.server(context(Map.of()), environment, false), Tls.client(context(Map.of()), environment, false));

        // A system property wins over its variable: here the variable names a file that is not there.
        GlobalTls both = GlobalTls.of(Map.of("javax.net.ssl.keyStore", server.keyStore().toString(),
                "javax.net.ssl.keyStorePassword", TestKeyStores.PASSWORD)::get,
                Map.of("FLUME_SSL_KEYSTORE_PATH", stores.resolve("missing.jks").toString())::get);
        Tls.server(context(Map.of()), both, false);

        // The component's own key wins over both.
        ConfigurationException error = assertThrows(ConfigurationException.class, () -> Tls.server(
                context(Map.of("keystore", stores.resolve("own.jks").toString())), both, false));
        assertEquals("keystore", error.key());
    }

    @Test
    void theAgentWideTypeAppliesToAComponentThatNamesNone() throws Exception {
        GlobalTls unknownType = GlobalTls.of(Map.of("javax.net.ssl.keyStoreType", "NOSUCHTYPE")::get, name -> null);
        Map<String, String> own = Map.of("keystore", client.keyStore().toString(), "keystore-password",
                TestKeyStores.PASSWORD);
        assertEquals("keystore-type", assertThrows(ConfigurationException.class,
                () -> Tls.server(context(own), unknownType, false)).key());
        Tls.server(context(with(own, "keystore-type", "PKCS12")), unknownType, false);
    }

    @Test
    void eachRoleDeclaresEveryKeyItsTlsReadsAndNoOther() {
        Set<String> ciphers = Set.of("ssl", "exclude-protocols", "include-protocols", "exclude-cipher-suites",
                "include-cipher-suites");
        Set<String> keyStore = Set.of("keystore", "keystore-password", "keystore-type");
        Set<String> trustStore = Set.of("truststore", "truststore-password", "truststore-type");
        assertEquals(union(ciphers, keyStore), TypedConfiguration.keys(TlsConfig.Server.class));
        assertEquals(union(ciphers, keyStore, trustStore, Set.of("ssl-client-auth")),
                TypedConfiguration.keys(TlsConfig.ServerAuthenticatingClients.class));
        assertEquals(union(ciphers, trustStore, Set.of("trust-all-certs")),
                TypedConfiguration.keys(TlsConfig.Client.class));
        assertEquals(union(ciphers, trustStore, keyStore, Set.of("trust-all-certs")),
                TypedConfiguration.keys(TlsConfig.ClientPresentingCertificate.class));
    }

    @Test
    void sslIsABooleanAndOffUnlessSet() throws Exception {
        assertFalse(Tls.enabled(context(Map.of())));
        assertTrue(Tls.enabled(context(Map.of("ssl", "true"))));
        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> Tls.enabled(context(Map.of("ssl", "yes"))));
        assertEquals("ssl", error.key());
        assertTrue(error.getMessage().contains("r1"), error.getMessage());
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new java.util.HashSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return all;
    }

    @Test
    void problemsNameTheKeyToChangeAndNeverThePassword() throws Exception {
        assertKey("keystore", Map.of());
        assertKey("keystore", Map.of("keystore", stores.resolve("none.jks").toString(), "keystore-password", "x"));
        assertKey("keystore-password", Map.of("keystore", server.keyStore().toString()));
        ConfigurationException wrong = assertKey("keystore-password", Map.of("keystore",
                server.keyStore().toString(), "keystore-password", "not-the-password"));
        assertFalse(wrong.getMessage().contains("not-the-password"), wrong.getMessage());
        assertKey("keystore-type", Map.of("keystore", server.keyStore().toString(), "keystore-password",
                TestKeyStores.PASSWORD, "keystore-type", "NOSUCHTYPE"));
        ConfigurationException trust = assertThrows(ConfigurationException.class,
                () -> client(Map.of("truststore", stores.resolve("none.jks").toString())));
        assertEquals("truststore", trust.key());
        ConfigurationException mode = assertThrows(ConfigurationException.class, () -> Tls.server(
                context(with(serverKeys(), "ssl-client-auth", "sometimes")), NO_GLOBAL, true));
        assertEquals("ssl-client-auth", mode.key());
        assertFalse(new StoreFile("/x", "secret", "JKS").toString().contains("secret"));
    }

    @Test
    void protocolListsNarrowWhatIsNegotiated() throws Exception {
        Tls onlyTls12 = server(with(serverKeys(), "exclude-protocols", "TLSv1.3"));
        assertEquals("TLSv1.2", roundTrip(onlyTls12, client(trusting(server))).getProtocol());
        assertEquals("TLSv1.2", roundTrip(server(serverKeys()),
                client(with(trusting(server), "include-protocols", "TLSv1.2"))).getProtocol());
        // Nothing in common: the handshake fails.
        assertThrows(IOException.class, () -> roundTrip(onlyTls12,
                client(with(trusting(server), "include-protocols", "TLSv1.3"))));
        // SSLv3 stays excluded even when included; nothing left names the key.
        assertEquals("include-protocols", assertThrows(ConfigurationException.class,
                () -> server(with(serverKeys(), "include-protocols", "SSLv3"))).key());
        assertEquals("exclude-protocols", assertThrows(ConfigurationException.class,
                () -> server(with(serverKeys(), "exclude-protocols", "TLSv1.2 TLSv1.3"))).key());
    }

    @Test
    void theAgentWideListsApplyUnlessTheComponentSetsItsOwn() throws Exception {
        GlobalTls noTls13 = GlobalTls.of(Map.of("flume.ssl.exclude.protocols", "TLSv1.1,TLSv1.3")::get, name -> null);
        Tls server = Tls.server(context(serverKeys()), noTls13, false);
        assertFalse(server.protocols().contains("TLSv1.3"), server.protocols().toString());
        Tls own = Tls.server(context(with(serverKeys(), "exclude-protocols", "SSLv3")), noTls13, false);
        assertTrue(own.protocols().contains("TLSv1.3"), own.protocols().toString());
    }

    @Test
    void cipherSuiteListsNarrowWhatIsNegotiated() throws Exception {
        String suite = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
        Tls serverTls = server(with(with(serverKeys(), "include-protocols", "TLSv1.2"), "include-cipher-suites",
                suite));
        assertEquals(List.of(suite), serverTls.cipherSuites());
        assertEquals(suite, roundTrip(serverTls, client(trusting(server))).getCipherSuite());
        Tls clientTls = client(with(trusting(server), "exclude-cipher-suites", suite));
        assertThrows(IOException.class, () -> roundTrip(serverTls, clientTls));
    }

    @Test
    void aServerRequiringClientCertificatesAcceptsOnlyTrustedOnes() throws Exception {
        Map<String, String> required = with(with(with(serverKeys(), "ssl-client-auth", "required"), "truststore",
                client.trustStore().toString()), "truststore-type", "PKCS12");
        // A PKCS12 trust store hides its certificates from a reader without the password.
        assertEquals("truststore-password", assertThrows(ConfigurationException.class,
                () -> Tls.server(context(required), NO_GLOBAL, true)).key());
        required.put("truststore-password", TestKeyStores.PASSWORD);
        Tls serverTls = Tls.server(context(required), NO_GLOBAL, true);
        assertEquals(ClientAuth.REQUIRED, serverTls.clientAuth());

        assertThrows(IOException.class, () -> roundTrip(serverTls, client(trusting(server))));
        Map<String, String> strangerKey = with(with(trusting(server), "keystore", stranger.keyStore().toString()),
                "keystore-password", TestKeyStores.PASSWORD);
        assertThrows(IOException.class, () -> roundTrip(serverTls, Tls.client(context(strangerKey), NO_GLOBAL, true)));
        Map<String, String> clientKey = with(with(with(trusting(server), "keystore", client.keyStore().toString()),
                "keystore-password", TestKeyStores.PASSWORD), "keystore-type", "pkcs12");
        roundTrip(serverTls, Tls.client(context(clientKey), NO_GLOBAL, true));

        // A client's own key store is Sluice's; without asking for it, a client presents nothing.
        assertThrows(IOException.class, () -> roundTrip(serverTls, client(clientKey)));
        // Optional: a client without a certificate is let in.
        Map<String, String> optional = with(required, "ssl-client-auth", "OPTIONAL");
        roundTrip(Tls.server(context(optional), NO_GLOBAL, true), client(trusting(server)));
        // Client certificates without the authorities to check them against cannot work.
        assertEquals("truststore", assertThrows(ConfigurationException.class, () -> Tls.server(
                context(with(serverKeys(), "ssl-client-auth", "required")), NO_GLOBAL, true)).key());
    }

    @Test
    void enginesCarryTheSettings() throws Exception {
        Tls serverTls = Tls.server(context(with(with(with(serverKeys(), "ssl-client-auth", "optional"), "truststore",
                server.trustStore().toString()), "exclude-protocols", "TLSv1.3")), NO_GLOBAL, true);
        SSLEngine engine = serverTls.newEngine();
        assertFalse(engine.getUseClientMode());
        assertTrue(engine.getWantClientAuth());
        assertArrayEquals(serverTls.protocols().toArray(), engine.getEnabledProtocols());
        assertArrayEquals(serverTls.cipherSuites().toArray(), engine.getEnabledCipherSuites());

        Tls clientTls = client(trusting(server));
        SSLEngine clientEngine = clientTls.newEngine("127.0.0.1", 4141);
        assertTrue(clientEngine.getUseClientMode());
        assertEquals("127.0.0.1", clientEngine.getPeerHost());
        assertArrayEquals(clientTls.protocols().toArray(), clientEngine.getEnabledProtocols());
    }

    /** One byte there and back over TLS; the client's session, or an IOException when they could not talk. */
    private static SSLSession roundTrip(Tls serverTls, Tls clientTls) throws Exception {
        try (ServerSocket listening = serverTls.bind(new InetSocketAddress("127.0.0.1", 0))) {
            Future<?> served = acceptor.submit(() -> {
                try (Socket accepted = listening.accept()) {
                    accepted.setSoTimeout(10_000);
                    InputStream in = accepted.getInputStream();
                    OutputStream out = accepted.getOutputStream();
                    out.write(in.read() + 1);
                    out.flush();
                }
                return null;
            });
            SSLSession session;
            // Closed before the server's end is awaited: closing a TLS socket waits for the peer's close.
            try (SSLSocket socket = (SSLSocket) clientTls.connect(
                    (InetSocketAddress) listening.getLocalSocketAddress(), 5_000, 10_000)) {
                socket.getOutputStream().write(41);
                socket.getOutputStream().flush();
                int answer = socket.getInputStream().read();
                if (answer != 42) {
                    throw new IOException("the server answered " + answer);
                }
                session = socket.getSession();
            }
            served.get(10, TimeUnit.SECONDS);
            return session;
        }
    }

    private static Tls server(Map<String, String> properties) throws ConfigurationException {
        return Tls.server(context(properties), NO_GLOBAL, false);
    }

    private static Tls client(Map<String, String> properties) throws ConfigurationException {
        return Tls.client(context(properties), NO_GLOBAL, false);
    }

    private static ConfigurationException assertKey(String key, Map<String, String> properties) {
        ConfigurationException error = assertThrows(ConfigurationException.class, () -> server(properties));
        assertEquals(key, error.key(), error.getMessage());
        assertTrue(error.getMessage().contains("'" + key + "'"), error.getMessage());
        return error;
    }

    private static Map<String, String> serverKeys() {
        return Map.of("keystore", server.keyStore().toString(), "keystore-password", TestKeyStores.PASSWORD);
    }

    private static Map<String, String> trusting(TestKeyStores stores) {
        return Map.of("truststore", stores.trustStore().toString(), "truststore-password", TestKeyStores.PASSWORD);
    }

    private static Map<String, String> with(Map<String, String> properties, String key, String value) {
        Map<String, String> copy = new HashMap<>(properties);
        copy.put(key, value);
        return copy;
    }

    private static ComponentContext context(Map<String, String> properties) {
        return TestContexts.plain(ComponentKind.SOURCE, "r1", properties);
    }
}
