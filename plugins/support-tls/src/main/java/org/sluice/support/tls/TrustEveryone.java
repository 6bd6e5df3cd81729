package org.sluice.support.tls;

import java.net.Socket;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Flume's {@code trust-all-certs}: any server certificate is accepted. For tests and closed networks only: it
 * lets anyone in the middle read the traffic. Extended, so the JDK does not wrap it in checks of its own.
 */
final class TrustEveryone extends X509ExtendedTrustManager {

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // Accepting every certificate is what trust-all-certs asks for.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // Accepting every certificate is what trust-all-certs asks for.
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // As above, for a socket.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // As above, for a socket.
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // As above, for an engine.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // As above, for an engine.
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
