package org.sluice.rpc.avro;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

/** TLS contexts for the source (a key store) and the sink (a trust store, or trust-all-certs), as Flume sets them. */
final class Tls {
    private Tls() {
    }

    static KeyStore load(String file, String password, String type) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            store.load(in, password == null || password.isEmpty() ? null : password.toCharArray());
        }
        return store;
    }

    static SslContext server(String keystore, String password, String type, List<String> protocols,
            List<String> ciphers, ClientCertificates clients) throws IOException, GeneralSecurityException {
        SslContextBuilder builder = SslContextBuilder.forServer(keyManagers(keystore, password, type))
                .sslProvider(SslProvider.JDK).protocols(protocols).ciphers(ciphers.isEmpty() ? null : ciphers);
        if (clients.mode() != ClientAuth.NONE) {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(clients.truststore(), clients.password(), clients.type()));
            builder.clientAuth(clients.mode()).trustManager(trust);
        }
        return builder.build();
    }

    /**
     * Sluice's client-certificate authentication on the source: whether clients must (or may) present a
     * certificate, and the trust store of the authorities whose certificates are accepted.
     */
    record ClientCertificates(ClientAuth mode, String truststore, String password, String type) {
        static final ClientCertificates NONE = new ClientCertificates(ClientAuth.NONE, "", "", "JKS");
    }

    /** The certificate and key a sink presents to a source that asks for one, or null for none. */
    record ClientKey(String keystore, String password, String type) {
    }

    private static KeyManagerFactory keyManagers(String keystore, String password, String type)
            throws IOException, GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keystore, password, type), password == null ? new char[0] : password.toCharArray());
        return keys;
    }

    /** A client context: every certificate trusted, or the trust store's, or the JVM's default trust. */
    static SslContext client(boolean trustAll, String truststore, String password, String type,
            List<String> protocols, ClientKey key) throws IOException, GeneralSecurityException {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(protocols);
        if (key != null) {
            builder.keyManager(keyManagers(key.keystore(), key.password(), key.type()));
        }
        if (trustAll) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (!truststore.isEmpty()) {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(truststore, password, type));
            builder.trustManager(trust);
        }
        return builder.build();
    }

    /**
     * The JVM's default protocols less {@code exclude}; with {@code include}, the supported protocols it names
     * less {@code exclude}. Starting from the defaults keeps what the JVM disables (SSLv2Hello on a client,
     * protocols it no longer enables) disabled unless a user asks for it by name.
     */
    static List<String> protocols(String include, String exclude) throws GeneralSecurityException {
        SSLContext jvm = SSLContext.getDefault();
        String[] base = include.isBlank() ? jvm.getDefaultSSLParameters().getProtocols()
                : jvm.getSupportedSSLParameters().getProtocols();
        return select(base, include, exclude);
    }

    /** Cipher suites as {@link #protocols}; empty means the JVM's defaults. */
    static List<String> ciphers(String include, String exclude) throws GeneralSecurityException {
        if (include.isBlank() && exclude.isBlank()) {
            return List.of();
        }
        SSLParameters defaults = SSLContext.getDefault().getDefaultSSLParameters();
        return select(include.isBlank() ? defaults.getCipherSuites()
                : SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites(), include, exclude);
    }

    private static List<String> select(String[] available, String include, String exclude) {
        List<String> included = split(include);
        List<String> excluded = split(exclude);
        List<String> result = new ArrayList<>();
        for (String name : available) {
            if ((included.isEmpty() || included.contains(name.toLowerCase(Locale.ROOT)))
                    && !excluded.contains(name.toLowerCase(Locale.ROOT))) {
                result.add(name);
            }
        }
        return result;
    }

    /** Flume's lists are separated by white space. */
    private static List<String> split(String list) {
        return Arrays.stream(list.trim().split("[\\s,]+")).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }
}
