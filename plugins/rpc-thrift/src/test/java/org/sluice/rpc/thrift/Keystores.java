package org.sluice.rpc.thrift;

import java.nio.file.Path;

import org.sluice.support.tls.TestKeyStores;

/** A self-signed server key for TLS tests, made by the TLS support's fixture (no key material is checked in). */
final class Keystores {
    static final String PASSWORD = TestKeyStores.PASSWORD;

    private Keystores() {
    }

    /** A PKCS12 key store holding the key and certificate for 127.0.0.1; it serves as a trust store as well. */
    static Path serverKeystore(Path directory) throws Exception {
        return TestKeyStores.create(directory, "PKCS12").keyStore();
    }
}
