package org.sluice.channel.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;

import org.sluice.api.component.ConfigurationException;

/**
 * The keys of an encrypted file channel, read from Flume's {@code encryption.*} keys: the active key, which
 * encrypts the files this start creates, and every key listed in {@code keyProvider.keys}, which decrypt files
 * written before a rotation. Keys are AES secret keys in a JCEKS or PKCS12 keystore.
 *
 * <p>Each encrypted data file names the alias of its key in its header, with a random 16-byte counter base
 * ({@link FileKey}); a record's payload is encrypted with AES/CTR starting at counter block {@code base + offset},
 * its byte offset in the file. A record of n payload bytes uses fewer than n counter blocks and the next record
 * starts more than n bytes later, so no counter block is used twice in a file, and every record is decrypted on
 * its own, from its pointer alone.
 */
final class Encryption {
    static final String CIPHER = "AES/CTR/NoPadding";
    /** Bytes of the counter base in a file header. */
    static final int BASE_BYTES = 16;
    /** Bytes of the key check in a file header: tells a different key under the same alias at start. */
    static final int CHECK_BYTES = 8;
    /** Longest alias a file header holds, in UTF-8 bytes. */
    static final int MAX_ALIAS_BYTES = 255;

    private static final SecureRandom RANDOM = new SecureRandom();
    /** A Cipher is not thread-safe and costly to get; init per record is cheap by comparison. */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance(CIPHER);
        } catch (GeneralSecurityException e) {
            // Every JDK has AES/CTR/NoPadding; without it the channel cannot work at all.
            throw new IllegalStateException("the JDK offers no " + CIPHER, e);
        }
    });

    private final String activeAlias;
    /** Alias to key, the active one included. */
    private final Map<String, SecretKey> keys;
    private final Path keyStoreFile;

    Encryption(String activeAlias, Map<String, SecretKey> keys, Path keyStoreFile) {
        this.activeAlias = activeAlias;
        this.keys = Map.copyOf(keys);
        this.keyStoreFile = keyStoreFile;
    }

    String activeAlias() {
        return activeAlias;
    }

    /** The key of this alias, or null if it is not configured. */
    SecretKey key(String alias) {
        return keys.get(alias);
    }

    Set<String> aliases() {
        return keys.keySet();
    }

    Path keyStoreFile() {
        return keyStoreFile;
    }

    /** The key of a new data file: the active key and a fresh random counter base. */
    FileKey newFileKey() {
        byte[] base = new byte[BASE_BYTES];
        RANDOM.nextBytes(base);
        SecretKey key = keys.get(activeAlias);
        return new FileKey(activeAlias, key, base, FileKey.check(key, base));
    }

    /**
     * The key of one data file. {@code key} is null when the file names an alias that is not configured: its
     * records can still be checked (the checksum is over the encrypted bytes) but not decrypted.
     */
    record FileKey(String alias, SecretKey key, byte[] base, byte[] check) {
        /** The keystream of counter block {@code base + 0}, which no record uses: offset 0 is the file header. */
        static byte[] check(SecretKey key, byte[] base) {
            byte[] zeros = new byte[CHECK_BYTES];
            crypt(key, base, 0, zeros, 0, CHECK_BYTES);
            return zeros;
        }

        /** Whether {@link #key} is the key that wrote the file (not just one with the same alias). */
        boolean keyMatches() {
            return key != null && Arrays.equals(check(key, base), check);
        }

        /**
         * Encrypts or decrypts in place (CTR is its own inverse) {@code length} bytes at {@code from} of
         * {@code bytes}, which belong to the record at {@code recordOffset} in the file.
         */
        void crypt(byte[] bytes, int from, int length, long recordOffset) {
            crypt(key, base, recordOffset, bytes, from, length);
        }

        private static void crypt(SecretKey key, byte[] base, long block, byte[] bytes, int from, int length) {
            Cipher cipher = CIPHERS.get();
            try {
                cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(add(base, block)));
                // Copy-safe by Cipher's contract: input and output may be the same array region.
                int done = cipher.doFinal(bytes, from, length, bytes, from);
                if (done != length) {
                    throw new IllegalStateException(CIPHER + " returned " + done + " bytes for " + length);
                }
            } catch (GeneralSecurityException e) {
                // The key was checked when the channel was configured; a failure here is a JDK or key fault.
                throw new IllegalStateException("cannot run " + CIPHER + " with key " + key.getAlgorithm(), e);
            }
        }

        /** {@code base + block} as 128-bit big-endian numbers, wrapping, the way CTR increments its counter. */
        private static byte[] add(byte[] base, long block) {
            byte[] iv = base.clone();
            long carry = block;
            for (int i = iv.length - 1; i >= 0 && carry != 0; i--) {
                long sum = (iv[i] & 0xFF) + (carry & 0xFF);
                iv[i] = (byte) sum;
                carry = (carry >>> 8) + (sum >>> 8);
            }
            return iv;
        }
    }

    // ------------------------------------------------------------------------------------------ configuration

    /** Makes the configuration error of a key (the full key, {@code encryption.} included). */
    interface Errors {
        ConfigurationException at(String key, String message, Throwable cause);

        default ConfigurationException at(String key, String message) {
            return at(key, message, null);
        }
    }

    static final String PREFIX = "encryption.";
    static final String ACTIVE_KEY = "activeKey";
    static final String CIPHER_PROVIDER = "cipherProvider";
    static final String KEY_PROVIDER = "keyProvider";
    static final String KEY_STORE_FILE = "keyProvider.keyStoreFile";
    static final String KEY_STORE_PASSWORD_FILE = "keyProvider.keyStorePasswordFile";
    static final String KEY_STORE_TYPE = "keyProvider.keyStoreType";
    static final String KEYS = "keyProvider.keys";

    /**
     * Reads the keys {@code encryption.*} name ({@code settings} without the prefix); null if there are none, an
     * unencrypted channel. Everything is checked here, so that a wrong setting fails the configuration naming its
     * key: the keystore opens with its password, every listed key is there, opens with its password and is an AES
     * key.
     */
    static Encryption configure(Map<String, String> settings,
            Errors error) throws ConfigurationException {
        if (settings.isEmpty()) {
            return null;
        }
        Set<String> known = Set.of(ACTIVE_KEY, CIPHER_PROVIDER, KEY_PROVIDER, KEY_STORE_FILE,
                KEY_STORE_PASSWORD_FILE, KEY_STORE_TYPE, KEYS);
        for (String key : settings.keySet()) {
            if (!known.contains(key) && !(key.startsWith(KEYS + ".") && key.endsWith(".passwordFile"))) {
                throw error.at(PREFIX + key, "unknown encryption setting; Flume's are activeKey, cipherProvider, "
                        + "keyProvider, keyProvider.keyStoreFile, keyProvider.keyStorePasswordFile, keyProvider.keys "
                        + "and keyProvider.keys.<alias>.passwordFile (and Sluice's keyProvider.keyStoreType)");
            }
        }
        // Flume's rules: with a key provider, activeKey and cipherProvider are required; without, neither is allowed.
        String provider = required(settings, KEY_PROVIDER, error);
        if (!provider.equalsIgnoreCase("JCEKSFILE")) {
            throw error.at(PREFIX + KEY_PROVIDER, "unsupported key provider " + provider + "; the supported one is "
                    + "JCEKSFILE (a JCEKS or PKCS12 keystore file)");
        }
        String active = required(settings, ACTIVE_KEY, error);
        String cipher = required(settings, CIPHER_PROVIDER, error);
        if (!cipher.equalsIgnoreCase("AESCTRNOPADDING")) {
            throw error.at(PREFIX + CIPHER_PROVIDER, "unsupported cipher provider " + cipher
                    + "; the supported one is AESCTRNOPADDING");
        }
        if (active.getBytes(StandardCharsets.UTF_8).length > MAX_ALIAS_BYTES) {
            throw error.at(PREFIX + ACTIVE_KEY, "an alias of at most " + MAX_ALIAS_BYTES + " bytes is needed");
        }
        Set<String> aliases = new LinkedHashSet<>();
        String listed = settings.getOrDefault(KEYS, "").trim();
        if (!listed.isEmpty()) {
            // Flume separates the aliases with spaces; commas are accepted too, as in Sluice's other lists.
            aliases.addAll(Arrays.asList(listed.split("[\\s,]+")));
        }
        for (String key : settings.keySet()) {
            if (key.startsWith(KEYS + ".")) {
                String alias = key.substring(KEYS.length() + 1, key.length() - ".passwordFile".length());
                if (!aliases.contains(alias) && !alias.equals(active)) {
                    throw error.at(PREFIX + key, "key " + alias + " has a password file but is not listed in "
                            + PREFIX + KEYS);
                }
            }
        }
        // As in Flume, the active key needs no listing of its own; it is usually listed as the newest key.
        aliases.add(active);

        Path storeFile = Path.of(required(settings, KEY_STORE_FILE, error));
        char[] storePassword = password(settings, KEY_STORE_PASSWORD_FILE, "the keystore", error);
        KeyStore store = load(storeFile, settings.get(KEY_STORE_TYPE), storePassword, active, error);
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        for (String alias : aliases) {
            String passwordKey = KEYS + "." + alias + ".passwordFile";
            boolean ownPassword = settings.containsKey(passwordKey);
            char[] password = ownPassword ? password(settings, passwordKey, "key " + alias, error) : storePassword;
            String what = "key " + alias + (alias.equals(active) ? " (the active key)" : "");
            String blamed = PREFIX + (ownPassword ? passwordKey : alias.equals(active) ? ACTIVE_KEY : KEYS);
            Key key;
            try {
                if (!store.containsAlias(alias)) {
                    throw error.at(PREFIX + (alias.equals(active) ? ACTIVE_KEY : KEYS), what
                            + " is not in the keystore " + storeFile);
                }
                key = store.getKey(alias, password);
            } catch (UnrecoverableKeyException e) {
                throw error.at(blamed, "cannot open " + what + " in " + storeFile + ": wrong password ("
                        + (ownPassword ? "read from " + settings.get(passwordKey)
                        : "the keystore's; give " + PREFIX + passwordKey + " if the key has its own") + ")", e);
            } catch (GeneralSecurityException e) {
                throw error.at(blamed, "cannot open " + what + " in " + storeFile + ": " + e, e);
            }
            if (!(key instanceof SecretKey secret) || !"AES".equalsIgnoreCase(key.getAlgorithm())
                    || secret.getEncoded() == null
                    || !Set.of(16, 24, 32).contains(secret.getEncoded().length)) {
                throw error.at(blamed, what + " in " + storeFile + " is not an AES secret key of 128, 192 or 256 "
                        + "bits (" + (key == null ? "no key entry" : key.getAlgorithm() + " " + key.getFormat()) + ")");
            }
            keys.put(alias, secret);
        }
        Arrays.fill(storePassword, '\0');
        return new Encryption(active, keys, storeFile);
    }

    private static String required(Map<String, String> settings, String key,
            Errors error) throws ConfigurationException {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            throw error.at(PREFIX + key, "is required when the file channel is encrypted (any encryption.* key "
                    + "is set)");
        }
        return value.trim();
    }

    /** A password file's content, trimmed as Flume trims it (a trailing newline is not part of the password). */
    private static char[] password(Map<String, String> settings, String key, String whose,
            Errors error) throws ConfigurationException {
        Path file = Path.of(required(settings, key, error));
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim().toCharArray();
        } catch (NoSuchFileException e) {
            throw error.at(PREFIX + key, "the password file of " + whose + ", " + file
                    + ", does not exist", e);
        } catch (IOException e) {
            throw error.at(PREFIX + key, "cannot read the password file of " + whose + ", " + file
                    + ": " + e, e);
        }
    }

    /**
     * Opens the keystore. Its type is {@code keyStoreType} if given, else found from the content: JCEKS files
     * start with 0xCECECECE, JKS with 0xFEEDFEED, PKCS12 files are DER (0x30).
     */
    private static KeyStore load(Path file, String type, char[] password, String active,
            Errors error) throws ConfigurationException {
        String blamed = PREFIX + KEY_STORE_FILE;
        byte[] start = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            int read = in.readNBytes(start, 0, 4);
            if (type == null || type.isBlank()) {
                type = read < 4 ? "PKCS12" : (start[0] & 0xFF) == 0xCE && (start[1] & 0xFF) == 0xCE ? "JCEKS"
                        : (start[0] & 0xFF) == 0xFE && (start[1] & 0xFF) == 0xED ? "JKS" : "PKCS12";
            }
        } catch (NoSuchFileException e) {
            throw error.at(blamed, "the keystore " + file + " does not exist; it must hold the active "
                    + "key " + active, e);
        } catch (IOException e) {
            throw error.at(blamed, "cannot read the keystore " + file + " (holding the active key "
                    + active + "): " + e, e);
        }
        KeyStore store;
        try {
            store = KeyStore.getInstance(type.trim().toUpperCase(Locale.ROOT));
        } catch (GeneralSecurityException e) {
            throw error.at(PREFIX + KEY_STORE_TYPE, "unknown keystore type " + type
                    + "; JCEKS and PKCS12 hold secret keys", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        } catch (IOException e) {
            boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password");
            throw error.at(wrongPassword ? PREFIX + KEY_STORE_PASSWORD_FILE : blamed, "cannot open the "
                    + type + " keystore " + file + " holding the active key " + active + ": "
                    + (wrongPassword ? "wrong password (" + e.getMessage() + ")" : e.toString()), e);
        } catch (GeneralSecurityException e) {
            throw error.at(blamed, "cannot open the " + type + " keystore " + file + " holding the active "
                    + "key " + active + ": " + e, e);
        }
        return store;
    }

    }
