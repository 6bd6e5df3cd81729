package org.sluice.support.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed key for 127.0.0.1 in a key store, and its certificate alone in a trust store, made with the
 * JDK's keytool (no key material is checked in). Shared through this module's test jar with the TLS tests of
 * the plugins that use {@link Tls}.
 *
 * @param keyStore the key and its certificate, for a server (or a client presenting a certificate)
 * @param trustStore the certificate only, for the peer that trusts it
 */
public record TestKeyStores(Path keyStore, Path trustStore) {
    public static final String PASSWORD = "changeit";

    /** Stores of {@code type} ({@code JKS} or {@code PKCS12}) in {@code directory}, named server / trust. */
    public static TestKeyStores create(Path directory, String type) throws Exception {
        String extension = type.equalsIgnoreCase("PKCS12") ? ".p12" : ".jks";
        Path keyStore = directory.resolve("server" + extension);
        Path certificate = directory.resolve("server.crt");
        Path trustStore = directory.resolve("trust" + extension);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        keytool(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-keystore",
                keyStore.toString(), "-storetype", type, "-storepass", PASSWORD, "-keypass", PASSWORD));
        keytool(List.of(keytool, "-exportcert", "-alias", "server", "-keystore", keyStore.toString(), "-storepass",
                PASSWORD, "-file", certificate.toString()));
        keytool(List.of(keytool, "-importcert", "-noprompt", "-alias", "server", "-file", certificate.toString(),
                "-keystore", trustStore.toString(), "-storetype", type, "-storepass", PASSWORD));
        return new TestKeyStores(keyStore, trustStore);
    }

    private static void keytool(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + command + "\n" + output);
        }
    }
}
