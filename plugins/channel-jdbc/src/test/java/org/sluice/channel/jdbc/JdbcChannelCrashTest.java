package org.sluice.channel.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.Transaction;
import org.sluice.api.event.Event;
import org.sluice.testkit.TestContexts;

/**
 * Kills a process that writes to a JDBC channel (SIGKILL, so no stop and no database shutdown) at a
 * random moment, reopens the channel here and checks that every event whose put commit returned is there,
 * and no event whose take commit returned came back. Rounds: {@code -Dsluice.crash.rounds} (3 by default).
 * The same directories serve every round, so each round also recovers what the previous ones left.
 */
class JdbcChannelCrashTest {
    @TempDir
    Path root;

    @Test
    void acknowledgedEventsSurviveAKill() throws Exception {
        int rounds = Integer.getInteger("sluice.crash.rounds", 3);
        int duplicates = 0;
        for (int round = 0; round < rounds; round++) {
            duplicates += round(round, (round + 1) * 100_000_000L);
        }
        System.out.println("JdbcChannelCrashTest: " + rounds + " rounds, " + duplicates + " duplicates");
    }

    private int round(int round, long base) throws Exception {
        Set<Long> acked = ConcurrentHashMap.newKeySet();
        Set<Long> taken = ConcurrentHashMap.newKeySet();
        Set<Long> taking = ConcurrentHashMap.newKeySet();
        Path stderr = root.resolve("child-" + round + ".err");
        // The child's stdout goes to a file, read once the child is dead: a pipe read while the process is
        // killed can lose its last lines, and those are the ones that matter.
        Path stdout = root.resolve("child-" + round + ".out");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dderby.stream.error.file=" + root.resolve("derby-child-" + round + ".log"), "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(),
                root.toString(), Long.toString(base))
                .redirectError(stderr.toFile())
                .redirectOutput(stdout.toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(stdout).contains("ACK ")) {
                if (System.nanoTime() > deadline || !child.isAlive()) {
                    fail("round " + round + ": no acknowledged commit; child stderr: " + Files.readString(stderr));
                }
                Thread.sleep(20);
            }
            Thread.sleep(ThreadLocalRandom.current().nextLong(200, 1500));
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "killed child exits");
        }
        assertTrue(child.exitValue() != 0, "the child was killed, it did not stop: " + Files.readString(stderr));
        read(stdout, acked, taken, taking);
        String childErrors = Files.readString(stderr);
        assertTrue(!childErrors.contains("Exception"), "round " + round + ": the child failed: " + childErrors);

        JdbcChannel channel = (JdbcChannel) new JdbcChannelFactory()
                .create(TestContexts.channel("c1", CrashWriter.PROPERTIES, root));
        channel.start();
        Map<Long, Integer> found = new HashMap<>();
        try {
            for (boolean more = true; more; ) {
                Transaction tx = channel.getTransaction();
                tx.begin();
                try {
                    int n = 0;
                    for (Event event; n < 100 && (event = channel.take()) != null; n++) {
                        String body = JdbcChannelTest.body(event);
                        found.merge(Long.parseLong(body.substring(0, body.indexOf('|'))), 1, Integer::sum);
                    }
                    more = n > 0;
                    tx.commit();
                } catch (RuntimeException e) {
                    tx.rollback();
                    throw e;
                } finally {
                    tx.close();
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
        assertEquals(Set.of(), missing, "round " + round + ": acknowledged puts lost (" + acked.size() + " acked, "
                + taken.size() + " taken)");
        Set<Long> resurrected = new HashSet<>(taken);
        resurrected.retainAll(found.keySet());
        assertEquals(Set.of(), resurrected, "round " + round + ": events whose take was acknowledged came back");
        assertTrue(acked.size() > 0);
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
