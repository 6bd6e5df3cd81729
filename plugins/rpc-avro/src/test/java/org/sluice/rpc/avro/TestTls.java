package org.sluice.rpc.avro;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A self-signed key store for 127.0.0.1 made with the JDK's keytool, and the matching trust store. */
final class TestTls {
    static final String PASSWORD = "changeit";

    final Path keystore;
    final Path truststore;

    private TestTls(Path keystore, Path truststore) {
        this.keystore = keystore;
        this.truststore = truststore;
    }

    static TestTls create(Path dir) throws Exception {
        Path keystore = dir.resolve("server.jks");
        Path certificate = dir.resolve("server.crt");
        Path truststore = dir.resolve("trust.jks");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-keystore", keystore.toString(), "-storetype",
                "JKS", "-storepass", PASSWORD, "-keypass", PASSWORD));
        run(List.of(keytool, "-exportcert", "-alias", "server", "-keystore", keystore.toString(), "-storepass",
                PASSWORD, "-file", certificate.toString()));
        run(List.of(keytool, "-importcert", "-noprompt", "-alias", "server", "-file", certificate.toString(),
                "-keystore", truststore.toString(), "-storetype", "JKS", "-storepass", PASSWORD));
        return new TestTls(keystore, truststore);
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + command + "\n" + output);
        }
    }
}
