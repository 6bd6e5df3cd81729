package org.sluice.rpc.avro;

import java.nio.file.Path;

import org.sluice.support.tls.TestKeyStores;

/** A self-signed JKS key store for 127.0.0.1 and the matching trust store, made by the TLS support's fixture. */
final class TestTls {
    static final String PASSWORD = TestKeyStores.PASSWORD;

    final Path keystore;
    final Path truststore;

    private TestTls(TestKeyStores stores) {
        this.keystore = stores.keyStore();
        this.truststore = stores.trustStore();
    }

    static TestTls create(Path dir) throws Exception {
        return new TestTls(TestKeyStores.create(dir, "JKS"));
    }
}
