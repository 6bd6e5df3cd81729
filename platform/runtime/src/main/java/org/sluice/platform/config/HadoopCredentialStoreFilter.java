package org.sluice.platform.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.sluice.api.component.ConfigurationException;

/**
 * Flume's {@code hadoop} config filter: {@code ${f1['NAME']}} is the credential {@code NAME} of a Hadoop credential
 * store, the Java key store files {@code hadoop credential create NAME -provider jceks://file/...} writes. Read here
 * without Hadoop's libraries, which the platform does not carry: such a store is a JCEKS key store whose entries are
 * secret keys holding each credential's UTF-8 bytes, protected by one password.
 *
 * <ul>
 * <li>{@code credential.provider.path}: one provider, or several separated by commas, asked in order:
 *     {@code jceks://file/PATH} or {@code localjceks://file/PATH} (a local file). Stores on HDFS
 *     ({@code jceks://hdfs@...}) and Hadoop's other providers are refused with the reason.</li>
 * <li>The store's password, as Hadoop finds it: the environment variable {@code HADOOP_CREDSTORE_PASSWORD}, else the
 *     file {@code credstore.java-keystore-provider.password-file} names (on Flume's class path, which holds the
 *     configuration directory: looked up there, its content trimmed), else Hadoop's default, {@code none}.</li>
 * </ul>
 *
 * Unlike Hadoop's, a credential the stores do not have is not looked up among the Hadoop configuration's own
 * properties (its "clear text fallback"): a secret is taken from a store or reported missing.
 */
final class HadoopCredentialStoreFilter implements ConfigFilter {

    static final String PROVIDER_PATH = "credential.provider.path";
    static final String PASSWORD_FILE = "credstore.java-keystore-provider.password-file";
    static final String PASSWORD_VARIABLE = "HADOOP_CREDSTORE_PASSWORD";
    static final String DEFAULT_PASSWORD = "none";

    private final List<Path> stores;
    private final char[] password;

    private HadoopCredentialStoreFilter(List<Path> stores, char[] password) {
        this.stores = stores;
        this.password = password;
    }

    static HadoopCredentialStoreFilter of(String agent, String name, Map<String, String> properties,
            Environment environment) throws ConfigurationException {
        String path = properties.get(PROVIDER_PATH);
        if (path == null || path.isBlank()) {
            throw new ConfigurationException(agent, name, PROVIDER_PATH, "the hadoop filter needs the credential "
                    + "store, as jceks://file/PATH");
        }
        List<Path> stores = new ArrayList<>();
        for (String provider : path.split(",")) {
            if (!provider.isBlank()) {
                stores.add(localStore(agent, name, provider.trim()));
            }
        }
        return new HadoopCredentialStoreFilter(List.copyOf(stores), password(agent, name, properties, environment));
    }

    /** {@code jceks://file/tmp/x.jceks} is the file {@code /tmp/x.jceks}, as Hadoop unnests a provider URI. */
    private static Path localStore(String agent, String name, String provider) throws ConfigurationException {
        URI uri;
        try {
            uri = new URI(provider);
        } catch (URISyntaxException e) {
            throw new ConfigurationException(agent, name, PROVIDER_PATH, "'" + provider + "' is not a URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("jceks") && !scheme.equals("localjceks")) {
            throw new ConfigurationException(agent, name, PROVIDER_PATH, "'" + provider + "': only Java key store "
                    + "files are read (jceks://file/PATH or localjceks://file/PATH)");
        }
        if (!"file".equals(uri.getAuthority()) || uri.getPath() == null || uri.getPath().isEmpty()) {
            throw new ConfigurationException(agent, name, PROVIDER_PATH, "'" + provider + "': the store must be a "
                    + "local file (jceks://file/PATH); one on another file system (" + uri.getAuthority()
                    + ") needs Hadoop's client, which the platform does not carry: copy the store to the agent's "
                    + "machine");
        }
        return Path.of(uri.getPath());
    }

    private static char[] password(String agent, String name, Map<String, String> properties,
            Environment environment) throws ConfigurationException {
        String variable = environment.variable(PASSWORD_VARIABLE);
        if (variable != null) {
            return variable.toCharArray();
        }
        String file = properties.get(PASSWORD_FILE);
        if (file == null || file.isBlank()) {
            return DEFAULT_PASSWORD.toCharArray();
        }
        String confDir = environment.property(LaunchSettings.CONF_DIRECTORY);
        Path passwordFile = confDir == null ? Path.of(file.trim()) : Path.of(confDir).resolve(file.trim());
        try {
            return Files.readString(passwordFile, StandardCharsets.UTF_8).trim().toCharArray();
        } catch (NoSuchFileException e) {
            throw new ConfigurationException(agent, name, PASSWORD_FILE, "no password file " + passwordFile
                    + " (it is looked up in the configuration directory, which is on Flume's class path)");
        } catch (IOException e) {
            throw new ConfigurationException(agent, name, PASSWORD_FILE, "cannot read " + passwordFile + ": " + e);
        }
    }

    @Override
    public String filter(String key) throws ConfigFilterException {
        for (Path store : stores) {
            KeyStore keyStore = load(store);
            try {
                // JCEKS keeps its aliases in lower case; Hadoop asks with the name as given.
                if (keyStore.containsAlias(key)) {
                    Key secret = keyStore.getKey(key, password);
                    return new String(secret.getEncoded(), StandardCharsets.UTF_8);
                }
            } catch (GeneralSecurityException e) {
                throw new ConfigFilterException("cannot read credential " + key + " of " + store + ": " + e, e);
            }
        }
        return null;
    }

    private KeyStore load(Path store) throws ConfigFilterException {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keyStore = KeyStore.getInstance("JCEKS");
            keyStore.load(in, password);
            return keyStore;
        } catch (NoSuchFileException e) {
            throw new ConfigFilterException("the credential store " + store + " does not exist", e);
        } catch (IOException e) {
            throw new ConfigFilterException("cannot read the credential store " + store + ": " + (e.getCause()
                    instanceof java.security.UnrecoverableKeyException ? "the password is wrong (set "
                    + PASSWORD_VARIABLE + " or " + PASSWORD_FILE + ")" : e.getMessage()), e);
        } catch (GeneralSecurityException e) {
            throw new ConfigFilterException("cannot read the credential store " + store + ": " + e, e);
        }
    }
}
