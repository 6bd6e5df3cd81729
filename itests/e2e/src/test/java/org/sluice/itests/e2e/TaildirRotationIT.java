package org.sluice.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The built distribution's TAILDIR source under log rotation, as a user runs it: an agent tails {@code app.log*}
 * (rotated names included, the User Guide's way) into a file_roll sink while the test writes numbered lines and
 * rotates the log by rename and create, by copytruncate, and by rename and gzip, and the agent is stopped and
 * started again in the middle (SIGTERM, the position file kept). Every line arrives exactly once. The long version,
 * beside Flume 1.11.0, is itests/benchmark/rotation.sh.
 */
class TaildirRotationIT {

    private static final int LINES_PER_STEP = 2000;
    private static final long DEADLINE_SECONDS = 120;

    private final List<AgentProcess> agents = new ArrayList<>();

    @AfterEach
    void stopAgents() throws InterruptedException {
        for (AgentProcess agent : agents) {
            agent.close();
        }
    }

    @Test
    void everyLineExactlyOnceThroughRotationsAndARestart() throws Exception {
        Installation sluice = Installation.fresh();
        Path logs = Files.createDirectories(sluice.resolve("app-logs"));
        Path output = Files.createDirectories(sluice.resolve("out"));
        Files.writeString(sluice.resolve("conf").resolve("tail.properties"), String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = TAILDIR",
                "a1.sources.r1.filegroups = f1",
                "a1.sources.r1.filegroups.f1 = " + logs + "/app\\\\.log.*",
                "a1.sources.r1.positionFile = " + sluice.resolve("data/taildir_position.json"),
                "a1.sources.r1.idleTimeout = 2000",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacity = 100000",
                "a1.channels.c1.transactionCapacity = 1000",
                "a1.sinks.k1.type = file_roll",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.sink.directory = " + output,
                "a1.sinks.k1.sink.rollInterval = 0",
                ""), StandardCharsets.UTF_8);
        Path log = logs.resolve("app.log");
        Log writer = new Log(log);
        AgentProcess agent = start(sluice);

        writer.write(LINES_PER_STEP);
        awaitLines(output, writer.next, agent);
        // rename and create, the application writing on to the renamed file until it reopens
        writer.write(LINES_PER_STEP);
        Files.move(log, logs.resolve("app.log.1"));
        writer.write(100);
        writer.reopen();
        writer.write(LINES_PER_STEP);
        // copytruncate
        Files.move(logs.resolve("app.log.1"), logs.resolve("app.log.2"));
        Files.copy(log, logs.resolve("app.log.1"));
        writer.truncate();
        writer.write(LINES_PER_STEP);
        awaitLines(output, writer.next, agent);

        assertEquals(0, agent.terminate(), "the agent stops cleanly on SIGTERM");
        writer.write(LINES_PER_STEP); // while the agent is down
        agent = start(sluice);
        // The lines written while it was down arrive from the saved position, and none before them again. (A log
        // rotated while the agent is down is another matter: a saved position is used for its inode and path only.)
        awaitLines(output, writer.next, agent);

        // rename, create and gzip of the renamed file
        writer.write(LINES_PER_STEP);
        Files.move(logs.resolve("app.log.2"), logs.resolve("app.log.3"));
        Files.move(logs.resolve("app.log.1"), logs.resolve("app.log.2"));
        Files.move(log, logs.resolve("app.log.1"));
        writer.write(100);
        writer.reopen();
        gzip(logs.resolve("app.log.1"));
        writer.write(LINES_PER_STEP);
        awaitLines(output, writer.next, agent);
        assertEquals(0, agent.terminate());

        Map<Long, Integer> counts = FileRollNumbers.counts(output);
        List<Long> missing = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        for (long n = 0; n < writer.next; n++) {
            int count = counts.getOrDefault(n, 0);
            if (count == 0) {
                missing.add(n);
            } else if (count > 1) {
                duplicated.add(n + " x" + count);
            }
        }
        System.out.printf("TaildirRotationIT: %d lines written, %d delivered, %d missing, %d duplicated%n",
                writer.next, counts.values().stream().mapToInt(Integer::intValue).sum(), missing.size(),
                duplicated.size());
        assertTrue(missing.isEmpty() && duplicated.isEmpty(), "missing " + first(missing) + ", duplicated "
                + first(duplicated));
        assertEquals(writer.next, counts.values().stream().mapToInt(Integer::intValue).sum(),
                "nothing but the lines written");
    }

    private AgentProcess start(Installation sluice) throws IOException {
        AgentProcess agent = AgentProcess.start(sluice, "agent", "-c", "conf", "-f", "conf/tail.properties", "-n",
                "a1");
        agents.add(agent);
        return agent;
    }

    private static void awaitLines(Path output, long lines, AgentProcess agent) throws Exception {
        agent.await("every line of " + lines, Duration.ofSeconds(DEADLINE_SECONDS),
                () -> FileRollNumbers.counts(output).size() >= lines);
    }
    private static void gzip(Path file) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file.resolveSibling(file.getFileName()
                + ".gz")))) {
            Files.copy(file, out);
        }
        Files.delete(file);
    }

    private static <T> List<T> first(List<T> list) {
        return list.subList(0, Math.min(10, list.size()));
    }

    /** The application's log: numbered lines appended to the file it has open. */
    private static final class Log {
        private final Path path;
        private FileChannel channel;
        long next;

        Log(Path path) throws IOException {
            this.path = path;
            reopen();
        }

        void reopen() throws IOException {
            if (channel != null) {
                channel.close();
            }
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }

        void truncate() throws IOException {
            channel.truncate(0);
        }

        void write(int lines) throws IOException {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < lines; i++) {
                text.append(next++).append('\n');
            }
            ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }
}
