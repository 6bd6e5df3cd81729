package org.sluice.support.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * A key store or trust store file as configured: its path, its password (null: none given, so a trust store
 * is opened without an integrity check, as the JDK does) and its type ({@code JKS}, {@code PKCS12}, any type
 * the JVM knows; the names are not case sensitive).
 */
public record StoreFile(String path, String password, String type) {

    public KeyStore load() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }

    char[] passwordChars() {
        return password == null ? new char[0] : password.toCharArray();
    }

    /** The password is never shown. */
    @Override
    public String toString() {
        return type + " store " + path;
    }
}
