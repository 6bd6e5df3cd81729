package org.sluice.support.tls;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.support.tls.GlobalTls.Setting;

/**
 * A component's TLS keys as configured, each one that is not set falling back to the agent-wide setting
 * ({@link GlobalTls}), as Flume reads them. Every problem is a {@link ConfigurationException} naming the key a
 * user has to change; no message ever holds a password.
 */
final class ConfiguredKeys {
    private final ComponentContext component;
    private final Map<String, String> properties;
    private final GlobalTls global;

    ConfiguredKeys(ComponentContext component, GlobalTls global) {
        this.component = component;
        this.properties = component.properties();
        this.global = global;
    }

    ConfigurationException error(String key, String message) {
        return component.configurationError(key, message);
    }

    /**
     * The key store of a server: the component's {@code keystore}, else the agent's; its password and type
     * likewise (each key on its own, as in Flume). Without a key store, or a password for it, TLS cannot serve.
     */
    StoreFile serverKeyStore() throws ConfigurationException {
        String path = orGlobal(TlsKeys.KEYSTORE, Setting.KEY_STORE);
        if (path == null) {
            throw error(TlsKeys.KEYSTORE, "ssl is true but no key store is set: set keystore, or for the whole "
                    + "agent the system property javax.net.ssl.keyStore or the variable FLUME_SSL_KEYSTORE_PATH");
        }
        requireReadable(TlsKeys.KEYSTORE, path);
        String password = secret(TlsKeys.KEYSTORE_PASSWORD, Setting.KEY_STORE_PASSWORD);
        if (password == null) {
            throw error(TlsKeys.KEYSTORE_PASSWORD, "ssl is true but the key store's password is not set: set "
                    + "keystore-password, or javax.net.ssl.keyStorePassword / FLUME_SSL_KEYSTORE_PASSWORD");
        }
        return new StoreFile(path, password, storeType(TlsKeys.KEYSTORE_TYPE, Setting.KEY_STORE_TYPE));
    }

    /** A client's trust store: the component's, else the agent's; null when neither is set (the JVM's trust). */
    StoreFile clientTrustStore() throws ConfigurationException {
        String path = orGlobal(TlsKeys.TRUSTSTORE, Setting.TRUST_STORE);
        if (path == null) {
            return null;
        }
        requireReadable(TlsKeys.TRUSTSTORE, path);
        return new StoreFile(path, secret(TlsKeys.TRUSTSTORE_PASSWORD, Setting.TRUST_STORE_PASSWORD),
                storeType(TlsKeys.TRUSTSTORE_TYPE, Setting.TRUST_STORE_TYPE));
    }

    /**
     * A store named by the component's own keys only ({@code keystore} or {@code truststore} and their password
     * and type), for Sluice's client certificates: the agent-wide stores are for Flume's roles, and using them
     * here would present, or accept, certificates nobody asked for. Null when the component sets none.
     */
    StoreFile ownStore(String pathKey, String passwordKey, String typeKey) throws ConfigurationException {
        String path = value(pathKey);
        if (path == null) {
            return null;
        }
        requireReadable(pathKey, path);
        String type = value(typeKey);
        return new StoreFile(path, properties.get(passwordKey), type == null ? TlsKeys.DEFAULT_STORE_TYPE : type);
    }

    boolean trustAllCerts() {
        return Boolean.parseBoolean(value(TlsKeys.TRUST_ALL_CERTS));
    }

    ClientAuth clientAuth() throws ConfigurationException {
        String value = properties.getOrDefault(TlsKeys.SSL_CLIENT_AUTH, "none");
        ClientAuth mode = ClientAuth.named(value);
        if (mode == null) {
            throw error(TlsKeys.SSL_CLIENT_AUTH, "'" + value + "' is not one of none, optional, required");
        }
        return mode;
    }

    /** Protocols: SSLv3 is excluded whatever the component says, as in Flume. */
    NameFilter protocols() {
        return new NameFilter(list(TlsKeys.INCLUDE_PROTOCOLS, Setting.INCLUDE_PROTOCOLS),
                list(TlsKeys.EXCLUDE_PROTOCOLS, Setting.EXCLUDE_PROTOCOLS) + " " + TlsKeys.ALWAYS_EXCLUDED_PROTOCOL);
    }

    NameFilter cipherSuites() {
        return new NameFilter(list(TlsKeys.INCLUDE_CIPHER_SUITES, Setting.INCLUDE_CIPHER_SUITES),
                list(TlsKeys.EXCLUDE_CIPHER_SUITES, Setting.EXCLUDE_CIPHER_SUITES));
    }

    /** A path or type: blank counts as not set. */
    private String value(String key) {
        String value = properties.get(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private String orGlobal(String key, Setting setting) {
        String own = value(key);
        return own != null ? own : global.get(setting).filter(v -> !v.isBlank()).map(String::trim)
                .orElse(null);
    }

    private String storeType(String key, Setting setting) {
        String type = orGlobal(key, setting);
        return type == null ? TlsKeys.DEFAULT_STORE_TYPE : type;
    }

    /** A password is taken as written, spaces included; an empty one set on the component counts as set. */
    private String secret(String key, Setting setting) {
        String own = properties.get(key);
        return own != null ? own : global.get(setting).orElse(null);
    }

    /** A list set on the component, even empty, replaces the agent's, as in Flume. */
    private String list(String key, Setting setting) {
        String own = properties.get(key);
        return own != null ? own : global.get(setting).orElse("");
    }

    private void requireReadable(String key, String path) throws ConfigurationException {
        try {
            if (!Files.isReadable(Path.of(path))) {
                throw error(key, "cannot read " + path + ": " + (Files.exists(Path.of(path)) ? "not readable"
                        : "no such file"));
            }
        } catch (InvalidPathException e) {
            throw error(key, "'" + path + "' is not a valid path: " + e.getReason());
        }
    }
}
