package org.sluice.support.tls;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;

/**
 * One component's TLS, set up from Flume's keys when the component is created, so a wrong path or password
 * fails the configuration naming the key rather than the first connection. It hands out what each transport
 * needs: an {@link SSLContext}, configured {@link SSLEngine}s (Netty's {@code SslHandler}), listening and
 * connected sockets (Thrift's), or {@link SSLParameters}.
 *
 * <p>A server presents the key store's certificate; a client trusts the trust store's authorities, or the
 * JVM's when no trust store is set, or everyone with {@code trust-all-certs}. Each key a component leaves out
 * falls back to the agent's ({@link GlobalTls}). Protocols and cipher suites are the JVM's defaults filtered by
 * the include and exclude lists; SSLv3 is always excluded. A client does not check the server's host name
 * against its certificate, as in Flume 1.11.
 *
 * <p>Immutable and safe to share between threads; every engine or socket it makes is new.
 */
public final class Tls {
    private final SSLContext context;
    private final boolean client;
    private final ClientAuth clientAuth;
    private final String[] protocols;
    private final String[] cipherSuites;

    private Tls(SSLContext context, boolean client, ClientAuth clientAuth, String[] protocols,
            String[] cipherSuites) {
        this.context = context;
        this.client = client;
        this.clientAuth = clientAuth;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
    }

    /**
     * Whether the component's {@code ssl} key is true: the one key every role has ({@link TlsConfig.Switch}). A
     * value that is not a boolean fails naming the key.
     */
    public static boolean enabled(ComponentContext component) throws ConfigurationException {
        return component.config(TlsConfig.Switch.class).ssl();
    }

    /** A server's TLS from Flume's keys: keystore, keystore-password, keystore-type, the protocol and suite lists. */
    public static Tls server(ComponentContext component) throws ConfigurationException {
        return server(component, GlobalTls.ofJvm(), false);
    }

    /**
     * A server's TLS as {@link #server}, and Sluice's client certificates: {@code ssl-client-auth} ({@code none},
     * {@code optional}, {@code required}) with the component's {@code truststore} of the authorities whose
     * client certificates are accepted.
     */
    public static Tls serverAuthenticatingClients(ComponentContext component) throws ConfigurationException {
        return server(component, GlobalTls.ofJvm(), true);
    }

    /**
     * A client's TLS from Flume's keys: trust-all-certs, truststore, truststore-password, truststore-type and the
     * protocol and suite lists.
     */
    public static Tls client(ComponentContext component) throws ConfigurationException {
        return client(component, GlobalTls.ofJvm(), false);
    }

    /**
     * A client's TLS as {@link #client}, and Sluice's client certificate: the component's {@code keystore}
     * (with its password and type), presented to a server that asks for one. None set: none presented.
     */
    public static Tls clientPresentingCertificate(ComponentContext component) throws ConfigurationException {
        return client(component, GlobalTls.ofJvm(), true);
    }

    static Tls server(ComponentContext component, GlobalTls global, boolean clientCertificates)
            throws ConfigurationException {
        ConfiguredKeys keys = new ConfiguredKeys(component, global);
        StoreFile keyStore = keys.serverKeyStore();
        KeyManager[] keyManagers = keyManagers(keys, keyStore, TlsKeys.KEYSTORE, TlsKeys.KEYSTORE_PASSWORD);
        ClientAuth clientAuth = clientCertificates ? keys.clientAuth() : ClientAuth.NONE;
        TrustManager[] trustManagers = null;
        if (clientAuth != ClientAuth.NONE) {
            StoreFile authorities = keys.ownStore(TlsKeys.TRUSTSTORE, TlsKeys.TRUSTSTORE_PASSWORD,
                    TlsKeys.TRUSTSTORE_TYPE);
            if (authorities == null) {
                throw keys.error(TlsKeys.TRUSTSTORE, "ssl-client-auth = " + clientAuth.name().toLowerCase(
                        Locale.ROOT) + " needs the trust store of the authorities whose client "
                        + "certificates are accepted");
            }
            trustManagers = trustManagers(keys, authorities, TlsKeys.TRUSTSTORE);
        }
        return build(keys, false, clientAuth, keyManagers, trustManagers);
    }

    static Tls client(ComponentContext component, GlobalTls global, boolean clientCertificate)
            throws ConfigurationException {
        ConfiguredKeys keys = new ConfiguredKeys(component, global);
        TrustManager[] trustManagers;
        if (keys.trustAllCerts()) {
            trustManagers = new TrustManager[] {new TrustEveryone()};
        } else {
            StoreFile trustStore = keys.clientTrustStore();
            // No trust store anywhere: null makes the JVM's default authorities (cacerts) apply, as in Flume.
            trustManagers = trustStore == null ? null : trustManagers(keys, trustStore, TlsKeys.TRUSTSTORE);
        }
        KeyManager[] keyManagers = null;
        if (clientCertificate) {
            StoreFile own = keys.ownStore(TlsKeys.KEYSTORE, TlsKeys.KEYSTORE_PASSWORD, TlsKeys.KEYSTORE_TYPE);
            if (own != null) {
                keyManagers = keyManagers(keys, own, TlsKeys.KEYSTORE, TlsKeys.KEYSTORE_PASSWORD);
            }
        }
        return build(keys, true, ClientAuth.NONE, keyManagers, trustManagers);
    }

    private static Tls build(ConfiguredKeys keys, boolean client, ClientAuth clientAuth, KeyManager[] keyManagers,
            TrustManager[] trustManagers) throws ConfigurationException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, null);
        } catch (GeneralSecurityException e) {
            throw keys.error(TlsKeys.SSL, "TLS is not available in this JVM: " + e);
        }
        // The lists depend on the mode (a client and a server may enable different protocols): ask an engine.
        SSLEngine probe = context.createSSLEngine();
        probe.setUseClientMode(client);
        NameFilter protocolFilter = keys.protocols();
        String[] protocols = protocolFilter.select(probe.getEnabledProtocols(), probe.getSupportedProtocols());
        if (protocols.length == 0) {
            throw keys.error(protocolFilter.includesNames() ? TlsKeys.INCLUDE_PROTOCOLS : TlsKeys.EXCLUDE_PROTOCOLS,
                    "no TLS protocol is left to use; this JVM supports "
                            + Arrays.toString(probe.getSupportedProtocols()));
        }
        NameFilter suiteFilter = keys.cipherSuites();
        String[] suites = suiteFilter.select(probe.getEnabledCipherSuites(), probe.getSupportedCipherSuites());
        if (suites.length == 0) {
            throw keys.error(suiteFilter.includesNames() ? TlsKeys.INCLUDE_CIPHER_SUITES
                    : TlsKeys.EXCLUDE_CIPHER_SUITES, "no cipher suite is left to use");
        }
        return new Tls(context, client, clientAuth, protocols, suites);
    }

    private static KeyManager[] keyManagers(ConfiguredKeys keys, StoreFile store, String pathKey, String passwordKey)
            throws ConfigurationException {
        KeyStore loaded = load(keys, store, pathKey, passwordKey);
        try {
            // The keys are protected by the store's password, as Flume assumes.
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(loaded, store.passwordChars());
            return factory.getKeyManagers();
        } catch (UnrecoverableKeyException e) {
            throw keys.error(passwordKey, "the keys of " + store + " cannot be read with this password: " + e);
        } catch (GeneralSecurityException e) {
            throw keys.error(pathKey, "the keys of " + store + " cannot be used: " + e);
        }
    }

    private static TrustManager[] trustManagers(ConfiguredKeys keys, StoreFile store, String pathKey)
            throws ConfigurationException {
        KeyStore loaded = load(keys, store, pathKey, pathKey + "-password");
        try {
            if (loaded.size() == 0) {
                // A PKCS12 store opened without its password shows no certificate: every peer would be refused.
                throw keys.error(store.password() == null ? pathKey + "-password" : pathKey, store
                        + " holds no certificate" + (store.password() == null ? " readable without a password" : ""));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(loaded);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw keys.error(pathKey, store + " cannot be used as a trust store: " + e);
        }
    }

    private static KeyStore load(ConfiguredKeys keys, StoreFile store, String pathKey, String passwordKey)
            throws ConfigurationException {
        try {
            return store.load();
        } catch (KeyStoreException e) {
            // KeyStore.getInstance: the JVM knows no store of this type.
            throw keys.error(pathKey + "-type", "'" + store.type() + "' is not a key store type this JVM knows");
        } catch (IOException e) {
            // A wrong password shows as an IOException caused by UnrecoverableKeyException.
            boolean password = e.getCause() instanceof UnrecoverableKeyException;
            throw keys.error(password ? passwordKey : pathKey, "cannot read " + store
                    + (password ? ": the password is wrong" : ": " + e));
        } catch (GeneralSecurityException e) {
            throw keys.error(pathKey, "cannot read " + store + ": " + e);
        }
    }

    /** The context the engines and sockets come from, for a transport that configures its own. */
    public SSLContext sslContext() {
        return context;
    }

    /** True for a client's TLS, false for a server's. */
    public boolean isClient() {
        return client;
    }

    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** The protocols a connection may use, after the include and exclude lists. */
    public List<String> protocols() {
        return List.of(protocols);
    }

    /** The cipher suites a connection may use, after the include and exclude lists. */
    public List<String> cipherSuites() {
        return List.of(cipherSuites);
    }

    /** A new engine: for a server, one connection accepted; for a client, one connection to an unnamed peer. */
    public SSLEngine newEngine() {
        return configure(context.createSSLEngine());
    }

    /** A new client engine for a connection to {@code host:port} (which lets a session be resumed). */
    public SSLEngine newEngine(String peerHost, int peerPort) {
        return configure(context.createSSLEngine(peerHost, peerPort));
    }

    /** The protocols, suites and client-certificate mode as parameters, for a transport that takes those. */
    public SSLParameters parameters() {
        return newEngine().getSSLParameters();
    }

    private SSLEngine configure(SSLEngine engine) {
        engine.setUseClientMode(client);
        engine.setSSLParameters(restrict(engine.getSSLParameters()));
        return engine;
    }

    /** The JVM's parameters for a new connection, with this component's protocols, suites and client mode. */
    private SSLParameters restrict(SSLParameters parameters) {
        parameters.setProtocols(protocols.clone());
        parameters.setCipherSuites(cipherSuites.clone());
        // Each of these calls overrides what the other set.
        switch (clientAuth) {
            case REQUIRED -> parameters.setNeedClientAuth(true);
            case OPTIONAL -> parameters.setWantClientAuth(true);
            case NONE -> parameters.setNeedClientAuth(false);
        }
        return parameters;
    }

    /** A server socket listening on {@code address} that speaks TLS to every client it accepts. */
    public ServerSocket bind(InetSocketAddress address) throws IOException {
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.setSSLParameters(restrict(socket.getSSLParameters()));
            socket.bind(address);
            return socket;
        } catch (IOException | RuntimeException e) {
            closeAfter(socket, e);
            throw e;
        }
    }

    /**
     * A socket connected to {@code address} whose handshake is done: a server that refuses this client, or a
     * certificate this client does not trust, fails here rather than on the first write.
     */
    public Socket connect(InetSocketAddress address, int connectTimeoutMillis, int readTimeoutMillis)
            throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        try {
            socket.setSSLParameters(restrict(socket.getSSLParameters()));
            socket.connect(address, connectTimeoutMillis);
            socket.setSoTimeout(readTimeoutMillis);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            closeAfter(socket, e);
            throw e;
        }
    }

    private static void closeAfter(Closeable socket, Exception failure) {
        try {
            socket.close();
        } catch (IOException closing) {
            failure.addSuppressed(closing);
        }
    }

    @Override
    public String toString() {
        return (client ? "TLS client " : "TLS server ") + protocols() + (clientAuth == ClientAuth.NONE ? ""
                : ", client certificates " + clientAuth.name().toLowerCase(Locale.ROOT));
    }
}
