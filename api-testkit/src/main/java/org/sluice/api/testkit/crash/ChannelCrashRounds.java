package org.sluice.api.testkit.crash;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.event.Event;
import org.sluice.api.testkit.ChannelTransactions;
import org.sluice.api.testkit.Contexts;

/**
 * The kill -9 test of a durable channel, the same for every channel plugin: a child JVM ({@link CrashWriter})
 * puts and takes numbered events and is killed with SIGKILL (no stop, no checkpoint on close) at a random
 * moment; the channel is then opened here on the same directories, and every event whose put commit returned
 * must be there, and no event whose take commit returned may come back. The same directories serve every
 * round, so each round also recovers what the previous ones left. Rounds: {@code -Dsluice.crash.rounds}
 * (3 by default; the fault suite runs 20). Failures are AssertionErrors, so any test framework reports them.
 */
public final class ChannelCrashRounds {
    private ChannelCrashRounds() {
    }

    /**
     * Runs the rounds and returns how many events came back more than once (at-least-once allows it).
     *
     * @param factory    the channel factory, made in the child and here with its no-argument constructor
     * @param properties the channel's keys
     * @param jvmOptions extra options for the child JVM (e.g. where a database logs)
     */
    public static int run(Class<? extends ChannelFactory> factory, Map<String, String> properties,
            List<String> jvmOptions, Path root) throws Exception {
        int rounds = Integer.getInteger("sluice.crash.rounds", 3);
        int duplicates = 0;
        for (int round = 0; round < rounds; round++) {
            duplicates += round(factory.getName(), properties, jvmOptions, root, round, (round + 1) * 100_000_000L);
        }
        System.out.println(factory.getSimpleName() + " crash test: " + rounds + " rounds, " + duplicates
                + " duplicates");
        return duplicates;
    }

    /** Makes and starts the channel named {@code c1} of the test agent under {@code root}. */
    static Channel open(String factory, Map<String, String> properties, Path root) throws Exception {
        ChannelFactory channels = (ChannelFactory) Class.forName(factory).getDeclaredConstructor().newInstance();
        Channel channel = channels.create(Contexts.API_ONLY.channel("c1", properties, root));
        channel.start();
        return channel;
    }

    static Map<String, String> readProperties(Path file) throws IOException {
        Properties loaded = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            loaded.load(in);
        }
        Map<String, String> out = new HashMap<>();
        loaded.stringPropertyNames().forEach(key -> out.put(key, loaded.getProperty(key)));
        return out;
    }

    private static void writeProperties(Path file, Map<String, String> properties) throws IOException {
        Properties out = new Properties();
        out.putAll(properties);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.store(writer, "the channel's keys for the crash test's child");
        }
    }

    private static void check(boolean holds, String message) {
        if (!holds) {
            throw new AssertionError(message);
        }
    }

    private static String sample(Set<Long> numbers) {
        return new TreeSet<>(numbers).stream().limit(20).toList().toString();
    }

    private static int round(String factory, Map<String, String> properties, List<String> jvmOptions, Path root,
            int round, long base) throws Exception {
        Set<Long> acked = ConcurrentHashMap.newKeySet();
        Set<Long> taken = ConcurrentHashMap.newKeySet();
        Set<Long> taking = ConcurrentHashMap.newKeySet();
        Path stderr = root.resolve("child-" + round + ".err");
        // The child's stdout goes to a file, read once the child is dead: a pipe read while the process is
        // killed can lose its last lines, and those are the ones that matter.
        Path stdout = root.resolve("child-" + round + ".out");
        Path propertiesFile = root.resolve("channel-" + round + ".properties");
        writeProperties(propertiesFile, properties);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(), factory,
                propertiesFile.toString(), root.toString(), Long.toString(base)));
        Process child = new ProcessBuilder(command)
                .redirectError(stderr.toFile())
                .redirectOutput(stdout.toFile())
                .start();
        try {
            await("round " + round + ": the child's first acknowledged commit").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> !child.isAlive() || Files.readString(stdout).contains("ACK "));
            check(child.isAlive(), "round " + round + ": the child died; its stderr: " + Files.readString(stderr));
            // The kill comes at a random moment of the child's work: nothing to wait for, on purpose.
            Thread.sleep(ThreadLocalRandom.current().nextLong(200, 1500));
        } finally {
            child.destroyForcibly();
            check(child.waitFor(30, TimeUnit.SECONDS), "killed child exits");
        }
        check(child.exitValue() != 0, "the child was killed, it did not stop: " + Files.readString(stderr));
        read(stdout, acked, taken, taking);
        String childErrors = Files.readString(stderr);
        check(!childErrors.contains("Exception"), "round " + round + ": the child failed: " + childErrors);

        Channel channel = open(factory, properties, root);
        Map<Long, Integer> found = new HashMap<>();
        try {
            for (List<Event> batch; !(batch = ChannelTransactions.take(channel, 100)).isEmpty(); ) {
                for (Event event : batch) {
                    String body = new String(event.getBody(), StandardCharsets.UTF_8);
                    found.merge(Long.parseLong(body.substring(0, body.indexOf('|'))), 1, Integer::sum);
                }
            }
        } finally {
            channel.stop();
        }
        Set<Long> missing = new HashSet<>(acked);
        missing.removeAll(taken);
        missing.removeAll(found.keySet());
        // A take the kill caught between its commit and its TAKEN line may be gone: that is the take's commit
        // having worked, not a loss.
        Set<Long> inFlightTakes = new HashSet<>(taking);
        inFlightTakes.removeAll(taken);
        missing.removeAll(inFlightTakes);
        check(missing.isEmpty(), "round " + round + ": acknowledged puts lost (" + acked.size() + " acked, "
                + taken.size() + " taken): " + sample(missing));
        Set<Long> resurrected = new HashSet<>(taken);
        resurrected.retainAll(found.keySet());
        check(resurrected.isEmpty(), "round " + round + ": events whose take was acknowledged came back: "
                + sample(resurrected));
        check(!acked.isEmpty(), "round " + round + ": nothing was acknowledged before the kill");
        return (int) found.values().stream().filter(n -> n > 1).count();
    }

    private static void read(Path stdout, Set<Long> acked, Set<Long> taken, Set<Long> taking)
            throws java.io.IOException {
        for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
            // A line cut by the kill has no final " ." and proves nothing.
            if (!line.endsWith(" .")) {
                continue;
            }
            String[] words = line.split(" ");
            if (words[0].equals("ACK")) {
                for (long n = Long.parseLong(words[1]); n <= Long.parseLong(words[2]); n++) {
                    acked.add(n);
                }
            } else if (words[0].equals("TAKEN") || words[0].equals("TAKING")) {
                for (String n : words[1].split(",")) {
                    (words[0].equals("TAKEN") ? taken : taking).add(Long.parseLong(n));
                }
            }
        }
    }
}
