package org.sluice.benchmark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Log rotation under load, Flume 1.11.0 against Sluice: each agent tails a log that a writer fills with numbered
 * lines at a steady rate and rotates, in turn, as logrotate does by rename and create (the writer writing some
 * lines more to the renamed file before it reopens), by copytruncate (the writer quiet while the copy is made and
 * the file truncated, so logrotate itself loses nothing), and by rename, create and compression of the renamed file
 * (gzip, the renamed file removed). The file group is the User Guide's {@code .*log.*} style, which also matches the
 * rotated and the compressed names. The agent's memory channel goes to a file_roll sink; once the writer stopped
 * and the output stopped growing (Flume reads a renamed file's tail only after its idleTimeout of 120 s), the agent
 * is stopped and its output counted: every number must be there exactly once. Lines that are no numbered line at
 * all (a compressed file read as text) are counted apart.
 *
 * <p>Usage (rotation.sh builds what it needs): {@code java -cp <harness jar> org.sluice.benchmark.RotationCheck
 * --flume-classpath FILE --sluice-home DIR --work-dir DIR --report FILE [--seconds 120] [--rate 20000]
 * [--rotate-every 10] [--agents flume,sluice] [--source-key KEY=VALUE ...]}. A {@code --source-key} is added to the
 * taildir source's keys of both agents' files, for Sluice's own keys ({@code readerThreads=2}): Flume's source reads
 * only the keys it knows.
 */
public final class RotationCheck {

    private static final int NUMBER_DIGITS = 12;
    private static final String PADDING = " the quick brown fox jumps over the lazy dog, a rotating log line";

    private enum Method { RENAME_AND_CREATE, COPYTRUNCATE, RENAME_AND_COMPRESS }

    /** What one agent delivered. */
    record Outcome(String agent, long written, long delivered, long distinct, long duplicates, long lost,
                   long garbage, int rotations, String note) {
    }

    private final Path work;
    private final int seconds;
    private final int rate;
    private final int rotateEvery;
    private final List<String> sourceKeys;

    private RotationCheck(Path work, int seconds, int rate, int rotateEvery, List<String> sourceKeys) {
        this.work = work;
        this.seconds = seconds;
        this.rate = rate;
        this.rotateEvery = rotateEvery;
        this.sourceKeys = sourceKeys;
    }

    public static void main(String[] args) throws Exception {
        Path flumeClassPath = null;
        Path sluiceHome = null;
        Path work = Path.of("target/rotation-work");
        Path report = Path.of("target/rotation-results.md");
        int seconds = 120;
        int rate = 20_000;
        int rotateEvery = 10;
        List<String> agents = List.of("flume", "sluice");
        List<String> sourceKeys = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--flume-classpath" -> flumeClassPath = Path.of(value);
                case "--sluice-home" -> sluiceHome = Path.of(value);
                case "--work-dir" -> work = Path.of(value);
                case "--report" -> report = Path.of(value);
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--rate" -> rate = Integer.parseInt(value);
                case "--rotate-every" -> rotateEvery = Integer.parseInt(value);
                case "--agents" -> agents = List.of(value.split(","));
                case "--source-key" -> {
                    if (value == null || !value.matches("[A-Za-z][A-Za-z0-9.]*=.*")) {
                        throw new IllegalArgumentException("--source-key takes KEY=VALUE, not " + value);
                    }
                    sourceKeys.add(value);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        RotationCheck check = new RotationCheck(work.toAbsolutePath(), seconds, rate, rotateEvery,
                List.copyOf(sourceKeys));
        Path javaHome = Path.of(System.getProperty("java.home"));
        List<Outcome> outcomes = new ArrayList<>();
        for (String agent : agents) {
            AgentLauncher launcher = agent.equals("flume")
                    ? new FlumeLauncher(Harness.FLUME_NAME, javaHome.resolve("bin/java"),
                            Files.readString(flumeClassPath, StandardCharsets.UTF_8))
                    : new SluiceLauncher(sluiceHome, javaHome);
            Outcome outcome = check.run(launcher);
            outcomes.add(outcome);
            System.out.println(describe(outcome));
        }
        String markdown = markdown(outcomes, check);
        if (report.getParent() != null) {
            Files.createDirectories(report.getParent());
        }
        Files.writeString(report, markdown, StandardCharsets.UTF_8);
        System.out.println();
        System.out.print(markdown);
        boolean sluiceClean = outcomes.stream().filter(o -> o.agent().equals("Sluice"))
                .allMatch(o -> o.duplicates() == 0 && o.lost() == 0 && o.garbage() == 0);
        System.exit(sluiceClean ? 0 : 1);
    }

    Outcome run(AgentLauncher launcher) throws Exception {
        Path runDir = work.resolve(launcher.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-"));
        deleteTree(runDir);
        Path logs = Files.createDirectories(runDir.resolve("logs"));
        Path out = Files.createDirectories(runDir.resolve("out"));
        Path configuration = runDir.resolve("agent.properties");
        List<String> keys = new ArrayList<>();
        for (String key : sourceKeys) {
            keys.add("a1.sources.r1." + key.substring(0, key.indexOf('=')).trim() + " = "
                    + key.substring(key.indexOf('=') + 1).trim());
        }
        Files.writeString(configuration, String.join("\n", keys) + "\n" + String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = TAILDIR",
                "a1.sources.r1.filegroups = f1",
                "a1.sources.r1.filegroups.f1 = " + logs + "/.*log.*",
                "a1.sources.r1.positionFile = " + runDir.resolve("taildir_position.json"),
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacity = 2000000",
                "a1.channels.c1.transactionCapacity = 1000",
                "a1.sinks.k1.type = file_roll",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.sink.directory = " + out,
                "a1.sinks.k1.sink.rollInterval = 0",
                "a1.sinks.k1.batchSize = 1000", ""), StandardCharsets.UTF_8);
        ProcessBuilder command = launcher.command(configuration, "a1", Ports.free(), "1g", runDir, Optional.empty());
        String description = launcher.name() + " under rotation";
        long written;
        int rotations;
        String note;
        try (AgentProcess agent = AgentProcess.start(description, command, runDir.resolve("agent.out"),
                launcher.logFile(runDir))) {
            Thread.sleep(5000); // the agent starts; lines written before it tails are read from the start anyway
            Writer writer = new Writer(logs.resolve("app.log"));
            writer.run();
            written = writer.next;
            rotations = writer.rotations;
            note = awaitOutput(out, written, agent);
        }
        return count(launcher.name(), out, written, rotations, note);
    }

    /**
     * Waits until every numbered line arrived and the output did not grow for 10 s, or it did not grow for 150 s
     * (Flume reads a renamed file's tail after its idleTimeout of 120 s), or 10 minutes passed.
     */
    private static String awaitOutput(Path out, long written, AgentProcess agent) throws Exception {
        long start = System.nanoTime();
        long lastChange = start;
        long lastCount = -1;
        while (agent.isAlive()) {
            long count = lines(out);
            long now = System.nanoTime();
            if (count != lastCount) {
                lastCount = count;
                lastChange = now;
            }
            Duration quiet = Duration.ofNanos(now - lastChange);
            if (quiet.toSeconds() >= 10 && distinct(out, written) >= written) {
                return "all lines arrived";
            }
            if (quiet.toSeconds() >= 150) {
                return "the output stopped growing (150 s)";
            }
            if (Duration.ofNanos(now - start).toMinutes() >= 10) {
                return "10 minutes passed";
            }
            Thread.sleep(5000);
        }
        return "the agent ended";
    }

    private static long lines(Path out) throws IOException {
        long lines = 0;
        try (Stream<Path> files = Files.list(out)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                for (byte b : Files.readAllBytes(file)) {
                    if (b == '\n') {
                        lines++;
                    }
                }
            }
        }
        return lines;
    }

    /** How many of the numbers 0 .. written-1 the output holds. */
    private static long distinct(Path out, long written) throws IOException {
        java.util.BitSet seen = new java.util.BitSet((int) written);
        try (Stream<Path> files = Files.list(out)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                    long number = parse(line);
                    if (number >= 0 && number < written) {
                        seen.set((int) number);
                    }
                }
            }
        }
        return seen.cardinality();
    }

    private static Outcome count(String agent, Path out, long written, int rotations, String note)
            throws IOException {
        int[] counts = new int[(int) written];
        long delivered = 0;
        long garbage = 0;
        try (Stream<Path> files = Files.list(out)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                    delivered++;
                    long number = parse(line);
                    if (number < 0 || number >= written) {
                        garbage++;
                    } else {
                        counts[(int) number]++;
                    }
                }
            }
        }
        long distinct = 0;
        long duplicates = 0;
        long lost = 0;
        for (int count : counts) {
            if (count == 0) {
                lost++;
            } else {
                distinct++;
                duplicates += count - 1;
            }
        }
        return new Outcome(agent, written, delivered, distinct, duplicates, lost, garbage, rotations, note);
    }

    private static long parse(String line) {
        if (line.length() != NUMBER_DIGITS + PADDING.length() || !line.endsWith(PADDING)) {
            return -1;
        }
        try {
            return Long.parseLong(line.substring(0, NUMBER_DIGITS));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Writes numbered lines at the rate and rotates the log every rotateEvery seconds, by each method in turn. */
    private final class Writer {
        private final Path log;
        private FileChannel channel;
        long next;
        int rotations;

        Writer(Path log) {
            this.log = log;
        }

        void run() throws Exception {
            channel = open(log);
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(seconds).toNanos();
            long nextRotation = start + Duration.ofSeconds(rotateEvery).toNanos();
            while (System.nanoTime() < end) {
                long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                if (next < due) {
                    write((int) Math.min(due - next, 1000));
                } else {
                    Thread.sleep(1);
                }
                if (System.nanoTime() >= nextRotation) {
                    rotate(Method.values()[rotations % Method.values().length]);
                    rotations++;
                    nextRotation += Duration.ofSeconds(rotateEvery).toNanos();
                }
            }
            channel.close();
        }

        private void write(int lines) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(lines * (NUMBER_DIGITS + PADDING.length() + 1));
            for (int i = 0; i < lines; i++) {
                buffer.put(String.format(Locale.ROOT, "%0" + NUMBER_DIGITS + "d", next++)
                        .getBytes(StandardCharsets.US_ASCII));
                buffer.put(PADDING.getBytes(StandardCharsets.US_ASCII)).put((byte) '\n');
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        private void rotate(Method method) throws IOException {
            shiftRotated();
            Path first = log.resolveSibling(log.getFileName() + ".1");
            switch (method) {
                case RENAME_AND_CREATE -> {
                    Files.move(log, first);
                    write(200); // the application writes on until it reopens
                    channel.close();
                    channel = open(log);
                }
                case COPYTRUNCATE -> {
                    Files.copy(log, first, StandardCopyOption.COPY_ATTRIBUTES);
                    channel.truncate(0);
                }
                case RENAME_AND_COMPRESS -> {
                    Files.move(log, first);
                    write(200);
                    channel.close();
                    channel = open(log);
                    Path gz = log.resolveSibling(log.getFileName() + ".1.gz");
                    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
                        Files.copy(first, out);
                    }
                    Files.delete(first);
                }
            }
        }

        /** app.log.1 -> app.log.2 -> app.log.3 (app.log.N.gz likewise); the oldest is removed. */
        private void shiftRotated() throws IOException {
            for (String suffix : List.of("", ".gz")) {
                Files.deleteIfExists(log.resolveSibling(log.getFileName() + ".3" + suffix));
                for (int i = 2; i >= 1; i--) {
                    Path from = log.resolveSibling(log.getFileName() + "." + i + suffix);
                    if (Files.exists(from)) {
                        Files.move(from, log.resolveSibling(log.getFileName() + "." + (i + 1) + suffix));
                    }
                }
            }
        }

        private FileChannel open(Path file) throws IOException {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }
    }

    static String describe(Outcome o) {
        return String.format(Locale.ROOT, "%s: %,d lines written through %d rotations; %,d delivered, %,d distinct, "
                        + "%,d duplicates, %,d lost, %,d not lines of the log (%s)", o.agent(), o.written(),
                o.rotations(), o.delivered(), o.distinct(), o.duplicates(), o.lost(), o.garbage(), o.note());
    }

    private static String markdown(List<Outcome> outcomes, RotationCheck check) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Taildir rotation under load: results\n\n");
        md.append("Taken ").append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
                .append(" on ").append(Machine.current().describe()).append(".\n\n");
        md.append(String.format(Locale.ROOT, "%d s of %,d lines/s, a rotation every %d s (rename and create, "
                + "copytruncate, rename and gzip, in turn); file group `.*log.*`.%n%n", check.seconds, check.rate,
                check.rotateEvery));
        if (!check.sourceKeys.isEmpty()) {
            md.append("Source keys added to both agents' files: `").append(String.join("`, `", check.sourceKeys))
                    .append("`.\n\n");
        }
        md.append("| agent | written | delivered | duplicates | lost | not log lines | rotations | ended |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (Outcome o : outcomes) {
            md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %,d | %d | %s |%n", o.agent(),
                    o.written(), o.delivered(), o.duplicates(), o.lost(), o.garbage(), o.rotations(), o.note()));
        }
        return md.toString();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
