package org.sluice.channel.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.KeyGenerator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.testkit.ChannelTransactions;
import org.sluice.api.testkit.TextEvents;
import org.sluice.testkit.StartedChannels;
import org.sluice.testkit.TestContexts;

/** Encryption at rest with Flume's encryption.* keys; keystores are made here, no key material is checked in. */
class FileChannelEncryptionTest {
    private static final String STORE_PASSWORD = "store-secret";

    @TempDir
    Path data;
    @TempDir
    Path keys;

    private final FileChannelFactory factory = new FileChannelFactory(directory -> Long.MAX_VALUE);
    @RegisterExtension
    final StartedChannels<FileChannel> started = new StartedChannels<>(factory, FileChannel.class,
            Map.of("checkpointInterval", "600000", "checkpointOnClose", "false", "keep-alive", "0"));

    // ---------------------------------------------------------------------------------------------- fixtures

    /**
     * A keystore of {@code type} at keys/store.{type} with a fresh AES key per alias; a key with a password of its
     * own gets it, the others the store's. Password files end in a newline, as an editor writes them.
     */
    private Path keystore(String type, Map<String, String> aliasPasswords) throws Exception {
        KeyStore store = KeyStore.getInstance(type);
        store.load(null, STORE_PASSWORD.toCharArray());
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(128);
        for (Map.Entry<String, String> alias : aliasPasswords.entrySet()) {
            String password = alias.getValue() == null ? STORE_PASSWORD : alias.getValue();
            store.setEntry(alias.getKey(), new KeyStore.SecretKeyEntry(generator.generateKey()),
                    new KeyStore.PasswordProtection(password.toCharArray()));
            if (alias.getValue() != null) {
                Files.writeString(keys.resolve(alias.getKey() + ".password"), alias.getValue() + "\n");
            }
        }
        Path file = keys.resolve("store." + type.toLowerCase());
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, STORE_PASSWORD.toCharArray());
        }
        Files.writeString(keys.resolve("store.password"), STORE_PASSWORD + "\n");
        return file;
    }

    private Path jceks(String... aliases) throws Exception {
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String alias : aliases) {
            passwords.put(alias, null);
        }
        return keystore("JCEKS", passwords);
    }

    /** Flume's keys for {@code store}, {@code active} encrypting, {@code listed} the keys list. */
    private Map<String, String> encryption(Path store, String active, String listed) {
        Map<String, String> keys = new HashMap<>();
        keys.put("encryption.activeKey", active);
        keys.put("encryption.cipherProvider", "AESCTRNOPADDING");
        keys.put("encryption.keyProvider", "JCEKSFILE");
        keys.put("encryption.keyProvider.keyStoreFile", store.toString());
        keys.put("encryption.keyProvider.keyStorePasswordFile", this.keys.resolve("store.password").toString());
        keys.put("encryption.keyProvider.keys", listed);
        return keys;
    }

    private FileChannel channel(Map<String, String> overrides) throws Exception {
        return started.start(data, overrides);
    }

    private void stop(FileChannel channel) {
        started.stop(channel);
    }

    private ConfigurationException configurationError(Map<String, String> properties) {
        ChannelContext ctx = TestContexts.channel("c1", properties, data);
        return assertThrows(ConfigurationException.class, () -> factory.create(ctx));
    }

    private Path home() {
        return data.resolve(TestContexts.AGENT).resolve("c1");
    }

    private List<Path> dataFiles() throws IOException {
        return new ArrayList<>(DataLog.list(home().resolve("data")).values());
    }

    private static Records.FileHeader header(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int id = Integer.parseInt(file.getFileName().toString().substring(DataLog.PREFIX.length()));
        return Records.readFileHeader(ByteBuffer.wrap(bytes), bytes.length, id);
    }

    private byte[] allDataBytes() throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (Path file : dataFiles()) {
            all.writeBytes(Files.readAllBytes(file));
        }
        return all.toByteArray();
    }

    private static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }

    private static List<String> takeAll(FileChannel channel) {
        return FileChannelTest.takeAll(channel);
    }

    // ---------------------------------------------------------------------------------------------- tests

    @Test
    void eventsAreEncryptedAtRestAndSurviveARestart() throws Exception {
        Map<String, String> encrypted = encryption(jceks("key-0"), "key-0", "key-0");
        FileChannel channel = channel(encrypted);
        Event sent = EventBuilder.withBody("the-secret-body".getBytes(StandardCharsets.UTF_8),
                Map.of("host", "secret-host-name"));
        ChannelTransactions.putCommitted(channel, List.of(sent));
        FileChannelTest.putCommitted(channel, "second-secret", "third-secret");
        byte[] onDisk = allDataBytes();
        assertFalse(contains(onDisk, "the-secret-body"), "the body is not on the disk in the clear");
        assertFalse(contains(onDisk, "secret-host-name"), "nor the header value");
        assertFalse(contains(onDisk, "host"), "nor the header key");
        assertFalse(contains(onDisk, "second-secret"));
        Records.FileHeader header = header(dataFiles().get(0));
        assertEquals("key-0", header.alias());
        assertNull(header.damage());

        List<Event> first = ChannelTransactions.take(channel, 1);
        assertEquals(sent.getHeaders(), first.get(0).getHeaders(), "a take decrypts headers");
        assertEquals("the-secret-body", TextEvents.body(first.get(0)), "and body");

        // No checkpoint on close: the restart replays the files after the start's checkpoint.
        stop(channel);
        channel = channel(encrypted);
        assertEquals(List.of("second-secret", "third-secret"), takeAll(channel));
        channel.checkpoint();
        byte[] checkpoint = Files.readAllBytes(home().resolve("checkpoint").resolve(Checkpoint.FILE));
        assertFalse(contains(checkpoint, "secret"), "the checkpoint holds pointers, no event data");
    }

    @Test
    void pkcs12KeystoreWithAKeyPasswordOfItsOwn() throws Exception {
        Map<String, String> passwords = new LinkedHashMap<>();
        passwords.put("key-0", "key-0-secret");
        Path store = keystore("PKCS12", passwords);
        Map<String, String> encrypted = encryption(store, "key-0", "key-0");
        encrypted.put("encryption.keyProvider.keys.key-0.passwordFile", keys.resolve("key-0.password").toString());
        FileChannel channel = channel(encrypted);
        FileChannelTest.putCommitted(channel, "pkcs12-event");
        assertFalse(contains(allDataBytes(), "pkcs12-event"));
        stop(channel);
        // The type told rather than found from the content: the same.
        encrypted.put("encryption.keyProvider.keyStoreType", "pkcs12");
        channel = channel(encrypted);
        assertEquals(List.of("pkcs12-event"), takeAll(channel));
    }

    @Test
    void keyRotationKeepsOldEventsReadableAndAMissingOldKeyFailsTheStartByName() throws Exception {
        Path store = jceks("key-0", "key-1");
        FileChannel channel = channel(encryption(store, "key-0", "key-0"));
        FileChannelTest.putCommitted(channel, "old-1", "old-2");
        stop(channel);

        channel = channel(encryption(store, "key-1", "key-0 key-1"));
        FileChannelTest.putCommitted(channel, "new-1");
        List<Path> files = dataFiles();
        assertEquals("key-0", header(files.get(0)).alias());
        assertEquals("key-1", header(files.get(files.size() - 1)).alias(), "new events are written with key-1");
        assertEquals(List.of("old-1"), FileChannelTest.take(channel, 1), "key-0's events still decrypt");
        stop(channel);

        // old-2 is still in a file of key-0: without key-0 the start fails, naming it and the file.
        FileChannel withoutOldKey = (FileChannel) factory.create(TestContexts.channel("c1",
                withTestDefaults(encryption(store, "key-1", "key-1")), data));
        DataLog.MissingKeyException missing = assertThrows(DataLog.MissingKeyException.class, withoutOldKey::start);
        assertTrue(missing.getMessage().contains("key-0"), missing.getMessage());
        assertTrue(missing.getMessage().contains(files.get(0).toString()), missing.getMessage());
        assertTrue(missing.getMessage().contains("encryption.keyProvider.keys"), missing.getMessage());

        // Nor does a channel whose encryption was removed read them as clear text.
        FileChannel unencrypted = (FileChannel) factory.create(TestContexts.channel("c1", withTestDefaults(Map.of()),
                data));
        missing = assertThrows(DataLog.MissingKeyException.class, unencrypted::start);
        assertTrue(missing.getMessage().contains("key-0"), missing.getMessage());

        channel = channel(encryption(store, "key-1", "key-0 key-1"));
        assertEquals(List.of("old-2", "new-1"), takeAll(channel), "the failed starts changed nothing");
        channel.checkpoint(); // deletes the files no event is queued in any more: key-0's
        stop(channel);
        channel = channel(encryption(store, "key-1", "key-1"));
        FileChannelTest.putCommitted(channel, "after");
        assertEquals(List.of("after"), takeAll(channel), "once key-0's events are gone, key-0 can go");
    }

    @Test
    void aKeyReplacedUnderTheSameAliasIsToldAtStart() throws Exception {
        Map<String, String> encrypted = encryption(jceks("key-0"), "key-0", "key-0");
        FileChannel channel = channel(encrypted);
        FileChannelTest.putCommitted(channel, "event");
        stop(channel);
        jceks("key-0"); // a new key, same alias, same file
        FileChannel replaced = (FileChannel) factory.create(TestContexts.channel("c1", withTestDefaults(encrypted),
                data));
        DataLog.MissingKeyException e = assertThrows(DataLog.MissingKeyException.class, replaced::start);
        assertTrue(e.getMessage().contains("key key-0") && e.getMessage().contains("not the key that encrypted"),
                e.getMessage());
    }

    @Test
    void encryptionTurnedOnLaterReadsTheClearFilesAndEncryptsNewOnes() throws Exception {
        FileChannel channel = channel(Map.of());
        FileChannelTest.putCommitted(channel, "clear-event");
        stop(channel);
        channel = channel(encryption(jceks("key-0"), "key-0", "key-0"));
        FileChannelTest.putCommitted(channel, "hidden-event");
        byte[] onDisk = allDataBytes();
        assertTrue(contains(onDisk, "clear-event"), "old files are not rewritten");
        assertFalse(contains(onDisk, "hidden-event"));
        assertEquals(List.of("clear-event", "hidden-event"), takeAll(channel));
    }

    @Test
    void wrongPasswordsAndMissingKeysFailTheConfigurationByName() throws Exception {
        Map<String, String> passwords = new LinkedHashMap<>();
        passwords.put("key-0", null);
        passwords.put("key-1", "key-1-secret");
        Path store = keystore("JCEKS", passwords);

        Files.writeString(keys.resolve("wrong.password"), "not-it\n");
        Map<String, String> wrongStore = encryption(store, "key-0", "key-0");
        wrongStore.put("encryption.keyProvider.keyStorePasswordFile", keys.resolve("wrong.password").toString());
        ConfigurationException e = configurationError(wrongStore);
        assertEquals("encryption.keyProvider.keyStorePasswordFile", e.key());
        assertTrue(e.getMessage().contains("wrong password") && e.getMessage().contains("key-0"), e.getMessage());

        Map<String, String> wrongKey = encryption(store, "key-1", "key-0 key-1");
        wrongKey.put("encryption.keyProvider.keys.key-1.passwordFile", keys.resolve("wrong.password").toString());
        e = configurationError(wrongKey);
        assertEquals("encryption.keyProvider.keys.key-1.passwordFile", e.key());
        assertTrue(e.getMessage().contains("key key-1") && e.getMessage().contains("wrong password"), e.getMessage());

        // key-1 has a password of its own; without its passwordFile the store's is tried, and fails by name.
        e = configurationError(encryption(store, "key-0", "key-0 key-1"));
        assertEquals("encryption.keyProvider.keys", e.key());
        assertTrue(e.getMessage().contains("key key-1") && e.getMessage().contains("passwordFile"), e.getMessage());

        e = configurationError(encryption(store, "key-0", "key-0 key-9"));
        assertEquals("encryption.keyProvider.keys", e.key());
        assertTrue(e.getMessage().contains("key key-9 is not in the keystore"), e.getMessage());

        e = configurationError(encryption(store, "key-7", "key-0"));
        assertEquals("encryption.activeKey", e.key());
        assertTrue(e.getMessage().contains("key key-7 (the active key) is not in the keystore"), e.getMessage());

        e = configurationError(encryption(keys.resolve("absent.jceks"), "key-0", "key-0"));
        assertEquals("encryption.keyProvider.keyStoreFile", e.key());
        assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("key-0"), e.getMessage());

        Map<String, String> noPasswordFile = encryption(store, "key-0", "key-0");
        noPasswordFile.put("encryption.keyProvider.keyStorePasswordFile", keys.resolve("absent.password").toString());
        e = configurationError(noPasswordFile);
        assertEquals("encryption.keyProvider.keyStorePasswordFile", e.key());

        Map<String, String> noProvider = encryption(store, "key-0", "key-0");
        noProvider.remove("encryption.keyProvider");
        assertEquals("encryption.keyProvider", configurationError(noProvider).key());

        Map<String, String> otherCipher = encryption(store, "key-0", "key-0");
        otherCipher.put("encryption.cipherProvider", "DES");
        assertEquals("encryption.cipherProvider", configurationError(otherCipher).key());

        Map<String, String> typo = encryption(store, "key-0", "key-0");
        typo.put("encryption.keyProvider.keystoreFile", store.toString());
        assertEquals("encryption.keyProvider.keystoreFile", configurationError(typo).key());
    }

    @Test
    void aDamagedEncryptedRecordIsDetectedSkippedAndReportedByTheCheck() throws Exception {
        Map<String, String> encrypted = encryption(jceks("key-0"), "key-0", "key-0");
        FileChannel channel = channel(encrypted);
        FileChannelTest.putCommitted(channel, "first-event");
        FileChannelTest.putCommitted(channel, "second-event");
        FileChannelTest.putCommitted(channel, "third-event");
        stop(channel);
        Directories dirs = new Directories(home().resolve("checkpoint"), null, List.of(home().resolve("data")));

        FileChannelCheck.Report report = FileChannelCheck.check(dirs);
        assertEquals(FileChannelCheck.Status.OK, report.status(), report.text());
        assertEquals("key-0", report.files().get(0).key());
        assertTrue(report.text().contains("Encrypted:"), report.text());
        assertEquals(3, report.restartEvents());

        // The first record of the second transaction: after the first transaction's PUT and COMMIT records.
        Path file = dataFiles().get(0);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int first = header(file).recordsStart();
        int commit = first + Records.RECORD_HEADER + buffer.getInt(first + 4);
        int second = commit + Records.RECORD_HEADER + buffer.getInt(commit + 4);
        assertEquals(Records.PUT, bytes[second + Records.RECORD_HEADER]);
        bytes[second + Records.RECORD_HEADER + Records.PAYLOAD_PREFIX + 6] ^= 0x10; // in the encrypted body
        Files.write(file, bytes);

        report = FileChannelCheck.check(dirs);
        assertEquals(FileChannelCheck.Status.DAMAGED, report.status(), report.text());
        assertTrue(report.text().contains("offset " + second + ": damaged record"), report.text());

        channel = channel(encrypted);
        assertEquals(List.of("first-event", "third-event"), takeAll(channel));
        assertEquals(1, started.context().counter().get(FileChannel.CORRUPT_RECORDS));
    }

    @Test
    void aDamagedEncryptedHeaderLosesThatFileOnlyAtTake() throws Exception {
        Map<String, String> encrypted = encryption(jceks("key-0"), "key-0", "key-0");
        FileChannel channel = channel(encrypted);
        FileChannelTest.putCommitted(channel, "in-damaged-file");
        stop(channel);
        Path file = dataFiles().get(0);
        byte[] bytes = Files.readAllBytes(file);
        bytes[Records.FILE_HEADER + 8] ^= 0x01; // in the alias: the header's checksum no longer matches
        Files.write(file, bytes);
        channel = channel(encrypted);
        assertEquals(List.of(), takeAll(channel), "its events cannot be decrypted: skipped as damaged");
        assertTrue(started.context().counter().get(FileChannel.CORRUPT_RECORDS) >= 1);
        FileChannelTest.putCommitted(channel, "later");
        assertEquals(List.of("later"), takeAll(channel));
    }

    @Test
    void aPutRecordEncryptedTwiceIsBackInTheClearWithItsChecksum() throws Exception {
        // What a failed append relies on to give a retried commit its records in the clear.
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        Encryption encryption = new Encryption("k", Map.of("k", generator.generateKey()), keys.resolve("none"));
        Encryption.FileKey key = encryption.newFileKey();
        assertTrue(key.keyMatches());
        Event event = EventBuilder.withBody("clear body".getBytes(StandardCharsets.UTF_8), Map.of("h", "v"));
        ByteBuffer record = ByteBuffer.allocate(Records.putRecordSize(event));
        Records.writePut(record, 7, event);
        byte[] clear = record.array().clone();
        Records.encryptPut(record.array(), 0, 4096, key);
        assertFalse(java.util.Arrays.equals(clear, record.array()));
        int length = record.getInt(4);
        assertEquals(org.sluice.support.log.RecordFraming.crc(record.array(), Records.RECORD_HEADER, length), record.getInt(8),
                "the checksum covers the encrypted bytes");
        assertEquals(Records.PUT, record.get(Records.RECORD_HEADER), "the type stays clear");
        assertEquals(7, record.getLong(Records.RECORD_HEADER + 1), "and the transaction id");
        Records.encryptPut(record.array(), 0, 4096, key);
        org.junit.jupiter.api.Assertions.assertArrayEquals(clear, record.array());
    }

    private static Map<String, String> withTestDefaults(Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>(Map.of("checkpointInterval", "600000",
                "checkpointOnClose", "false", "keep-alive", "0"));
        properties.putAll(overrides);
        return properties;
    }
}
