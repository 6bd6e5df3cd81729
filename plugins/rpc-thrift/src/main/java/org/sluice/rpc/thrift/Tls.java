package org.sluice.rpc.thrift;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;

/**
 * TLS for either end of a Thrift hop, set up from Flume's keys: a keystore for the source, a truststore (or
 * trust-all-certs) for the sink, and the include / exclude lists of protocols and cipher suites. SSLv3 is
 * always excluded, as in Flume. The keystore is read when the component is created, so a wrong path or
 * password fails the configuration, naming the key, rather than the first connection.
 */
final class Tls {
    private final SSLContext context;
    private final Set<String> includeProtocols;
    private final Set<String> excludeProtocols;
    private final Set<String> includeCiphers;
    private final Set<String> excludeCiphers;

    private Tls(SSLContext context, String includeProtocols, String excludeProtocols, String includeCiphers,
            String excludeCiphers) {
        this.context = context;
        this.includeProtocols = words(includeProtocols);
        this.excludeProtocols = words(excludeProtocols);
        this.excludeProtocols.add("SSLv3");
        this.includeCiphers = words(includeCiphers);
        this.excludeCiphers = words(excludeCiphers);
    }

    static Tls server(ComponentContext component, String keystore, String password, String type,
            String includeProtocols, String excludeProtocols, String includeCiphers, String excludeCiphers)
            throws ConfigurationException {
        if (keystore.isBlank()) {
            throw component.configurationError("keystore", "ssl = true needs a keystore");
        }
        KeyStore keys = load(component, "keystore", keystore, password, type);
        try {
            KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            managers.init(keys, password.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(managers.getKeyManagers(), null, null);
            return new Tls(context, includeProtocols, excludeProtocols, includeCiphers, excludeCiphers);
        } catch (GeneralSecurityException e) {
            throw component.configurationError("keystore-password", "the keystore's keys cannot be used: " + e);
        }
    }

    static Tls client(ComponentContext component, boolean trustAll, String truststore, String password, String type,
            String includeProtocols, String excludeProtocols, String includeCiphers, String excludeCiphers)
            throws ConfigurationException {
        TrustManager[] trust = null;
        if (trustAll) {
            trust = new TrustManager[] {new TrustEveryone()};
        } else if (!truststore.isBlank()) {
            KeyStore keys = load(component, "truststore", truststore, password, type);
            try {
                TrustManagerFactory managers = TrustManagerFactory.getInstance(
                        TrustManagerFactory.getDefaultAlgorithm());
                managers.init(keys);
                trust = managers.getTrustManagers();
            } catch (GeneralSecurityException e) {
                throw component.configurationError("truststore", "cannot be used: " + e);
            }
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            // No truststore: the JVM's default trusted authorities, as in Flume.
            context.init(null, trust, null);
            return new Tls(context, includeProtocols, excludeProtocols, includeCiphers, excludeCiphers);
        } catch (GeneralSecurityException e) {
            throw component.configurationError("ssl", "TLS is not available in this JVM: " + e);
        }
    }

    ServerSocket serverSocket(InetSocketAddress address) throws IOException {
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        socket.setReuseAddress(true);
        socket.bind(address);
        socket.setEnabledProtocols(filter(socket.getSupportedProtocols(), includeProtocols, excludeProtocols));
        socket.setEnabledCipherSuites(filter(socket.getEnabledCipherSuites(), includeCiphers, excludeCiphers));
        return socket;
    }

    Socket connect(InetSocketAddress address, int connectTimeoutMillis, int readTimeoutMillis) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        try {
            socket.connect(address, connectTimeoutMillis);
            socket.setSoTimeout(readTimeoutMillis);
            socket.setEnabledProtocols(filter(socket.getSupportedProtocols(), includeProtocols, excludeProtocols));
            socket.setEnabledCipherSuites(filter(socket.getEnabledCipherSuites(), includeCiphers, excludeCiphers));
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            try {
                socket.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private static KeyStore load(ComponentContext component, String key, String file, String password, String type)
            throws ConfigurationException {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            KeyStore store = KeyStore.getInstance(type.isBlank() ? "JKS" : type.trim());
            store.load(in, password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw component.configurationError(key, "cannot read " + type + " store " + file + ": " + e);
        }
    }

    private static String[] filter(String[] available, Set<String> include, Set<String> exclude) {
        return Arrays.stream(available)
                .filter(name -> include.isEmpty() || include.contains(name))
                .filter(name -> !exclude.contains(name))
                .toArray(String[]::new);
    }

    private static Set<String> words(String list) {
        Set<String> out = new LinkedHashSet<>();
        for (String word : list.trim().split("[\\s,]+")) {
            if (!word.isEmpty()) {
                out.add(word);
            }
        }
        return out;
    }

    /** Flume's trust-all-certs: accepts any server certificate. For tests and closed networks only. */
    private static final class TrustEveryone implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // Accepting every certificate is what trust-all-certs asks for.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // Accepting every certificate is what trust-all-certs asks for.
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
