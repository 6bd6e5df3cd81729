package org.sluice.channel.file;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.KeyGenerator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.sluice.api.channel.Transaction;
import org.sluice.testkit.FormatSamples;
import org.sluice.testkit.SampleTraffic;
import org.sluice.testkit.TestContexts;

/**
 * Writes a new set of format samples with the code as it is (see {@link FileChannelFormatTest}), run on demand
 * when a version changes the format: {@code mvn -pl plugins/channel-file test -Dtest=FileChannelSampleWriter
 * -Dsluice.format.samples=write -Dsluice.format.version=X.Y.Z}. A saved sample is never rewritten.
 *
 * <p>Each sample comes from two runs of the channel on the same directories: puts and takes in several
 * transactions, a checkpoint taken while a take transaction is open, commits after it, a restart, a second
 * checkpoint and more commits after it, and last a transaction whose COMMIT record is cut short, as a crash
 * during its write leaves it. Two data directories and 1 KiB files, so that there are several files of each run.
 */
@EnabledIfSystemProperty(named = "sluice.format.samples", matches = "write")
class FileChannelSampleWriter {
    private static final String STORE_PASSWORD = "sample-only";

    private SampleTraffic traffic;

    @Test
    void writeSamples() throws Exception {
        Path root = Path.of("src/test/resources/formats/sluice-" + System.getProperty("sluice.format.version"));
        Path plain = Files.createDirectories(root.resolve("plain"));
        write(plain, Map.of(), Map.of());

        Path encrypted = Files.createDirectories(root.resolve("encrypted"));
        Path store = keystore(encrypted.resolve("keys"), "key-1", "key-2");
        write(encrypted, encryption(store, "key-1", "key-1"), encryption(store, "key-2", "key-1 key-2"));
    }

    private void write(Path sample, Map<String, String> first, Map<String, String> second) throws Exception {
        traffic = new SampleTraffic();
        List<Path> dataDirs = List.of(sample.resolve("data-1"), sample.resolve("data-2"));
        FileChannel channel = start(sample, first);
        put(channel, 4);
        put(channel, 4);
        put(channel, 4);
        take(channel, 5);
        put(channel, 4);
        put(channel, 4);
        Transaction open = channel.getTransaction();
        open.begin();
        for (int i = 0; i < 3; i++) {
            channel.take();
        }
        channel.checkpoint();
        open.rollback();
        open.close();
        put(channel, 4);
        take(channel, 4);
        channel.stop();

        channel = start(sample, second);
        put(channel, 4);
        take(channel, 3);
        put(channel, 4);
        channel.checkpoint();
        put(channel, 4);
        take(channel, 2);
        // Three puts and two takes; cut into its COMMIT record (37 bytes, the last it wrote): its puts and takes are
        // whole, its commit is not.
        traffic.commitTorn(channel, 3, 2, channel::stop, dataDirs, DataLog.PREFIX + "*", 9);
        Files.deleteIfExists(sample.resolve("checkpoint").resolve("in_use.lock"));
        for (Path data : dataDirs) {
            Files.deleteIfExists(data.resolve("in_use.lock"));
        }
        FormatSamples.writeExpected(sample, traffic.queued());
    }

    private FileChannel start(Path sample, Map<String, String> encryption) throws Exception {
        Map<String, String> properties = new HashMap<>(Map.of("checkpointDir",
                sample.resolve("checkpoint").toString(), "dataDirs",
                sample.resolve("data-1") + "," + sample.resolve("data-2"), "maxFileSize", "1024",
                "checkpointInterval", "600000", "checkpointOnClose", "false", "keep-alive", "0",
                "minimumRequiredSpace", "0", "transactionCapacity", "100"));
        properties.putAll(encryption);
        FileChannel channel = (FileChannel) new FileChannelFactory(directory -> Long.MAX_VALUE)
                .create(TestContexts.channel("c1", properties, sample));
        channel.start();
        return channel;
    }

    private void put(FileChannel channel, int count) {
        traffic.put(channel, count);
    }

    private void take(FileChannel channel, int count) {
        traffic.take(channel, count);
    }

    /** A JCEKS keystore with a fresh AES key per alias; the keys protect sample events only. */
    static Path keystore(Path dir, String... aliases) throws Exception {
        Files.createDirectories(dir);
        KeyStore store = KeyStore.getInstance("JCEKS");
        store.load(null, STORE_PASSWORD.toCharArray());
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(128);
        for (String alias : aliases) {
            store.setEntry(alias, new KeyStore.SecretKeyEntry(generator.generateKey()),
                    new KeyStore.PasswordProtection(STORE_PASSWORD.toCharArray()));
        }
        Path file = dir.resolve("store.jceks");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, STORE_PASSWORD.toCharArray());
        }
        Files.writeString(dir.resolve("store.password"), STORE_PASSWORD + "\n");
        return file;
    }

    /** Flume's encryption keys for the keystore {@code store}, with its password file beside it. */
    static Map<String, String> encryption(Path store, String active, String listed) {
        return Map.of("encryption.activeKey", active, "encryption.cipherProvider", "AESCTRNOPADDING",
                "encryption.keyProvider", "JCEKSFILE", "encryption.keyProvider.keyStoreFile", store.toString(),
                "encryption.keyProvider.keyStorePasswordFile", store.resolveSibling("store.password").toString(),
                "encryption.keyProvider.keys", listed);
    }
}
