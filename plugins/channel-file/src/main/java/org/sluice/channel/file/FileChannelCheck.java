package org.sluice.channel.file;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.sluice.support.log.DirectoryLock;
import org.sluice.support.log.DurableLogKeys;

/**
 * The read-only check of a file channel's directories: what each data file holds, which records are damaged,
 * whether the checkpoint and its backup are usable, and what a restart would recover. It runs the channel's own
 * recovery code ({@link Checkpoint#load}, {@link Checkpoint#choose}, {@link Replay} in its whole-file mode), so
 * it predicts what a start does, and it writes nothing: no file, no directory, no lock kept.
 *
 * <p>A channel that is running is not refused: the check is most wanted on a live agent (the shell command
 * runs inside it), data files are only appended to and checkpoints are replaced by an atomic rename, so a read
 * at any moment is consistent up to the last complete record. The report then says that it is a snapshot of
 * files in use: a transaction being written may show as an incomplete last record, and a file the channel
 * deletes meanwhile fails the check ("run it again"). Whether a channel holds a directory is probed with a
 * shared lock on its {@code in_use.lock}, released at once; the file is not created if absent.
 *
 * <p>Command line ({@code bin/sluice check-file-channel}): exit status 0 OK, 1 DAMAGED, 2 wrong command line
 * or no such directory, 3 the check could not be completed (an I/O error).
 */
public final class FileChannelCheck {
    static final int EXIT_OK = 0;
    static final int EXIT_DAMAGED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_FAILED = 3;

    /** The channel's type names, as the factory registers them; a properties file must name one of these. */
    static final Set<String> TYPES = Set.of("file", "org.apache.flume.channel.file.FileChannel",
            "org.sluice.channel.file.FileChannel");

    static final String USAGE = String.join("\n",
            "Usage: sluice check-file-channel --checkpointDir DIR --dataDirs DIR[,DIR...] [--backupCheckpointDir DIR]",
            "       sluice check-file-channel --dataDirs DIR[,DIR...]",
            "       sluice check-file-channel -f FILE -n AGENT --channel NAME [--data DIR]",
            "",
            "Checks a file channel's directories without changing them: each data file with its size and records,",
            "damaged records with file and offset, the checkpoint and its backup, and the events a restart would",
            "recover. The second form reads the directories from a Flume properties file, with the channel's",
            "defaults under the data root (--data, default -Dsluice.data or $SLUICE_HOME/data). With --dataDirs alone",
            "(what Flume's FCINTEGRITYTOOL takes) the data files are checked without a checkpoint.",
            "A running channel is not disturbed; the report then says the files are in use and may be stale.",
            "",
            "Exit status: 0 OK, 1 DAMAGED, 2 wrong command line or no such directory, 3 the check failed (I/O error).",
            "");

    /** The verdict. */
    enum Status { OK, DAMAGED }

    /** A wrong command line or directory: exit 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * What the check found. {@code findings} are the report's lines about damage, in the order found.
     *
     * @param restartEvents   events a restart would queue (the replay's queue)
     * @param unreadableQueued of those, events whose PUT record is not valid: a take of them fails
     */
    record Report(Directories directories, List<Path> inUse, Checkpoint.Loaded checkpoint, Checkpoint.Loaded backup,
            Checkpoint.Loaded chosen, List<Replay.FileSummary> files, List<String> findings, int damagedRecords,
            int incompleteTails, int malformedRecords, int damagedHeaders, int incompleteTransactions,
            int droppedPointers, int transactions, int restartEvents, int unreadableQueued) {

        int invalidCheckpoints() {
            return invalid(checkpoint) + invalid(backup);
        }

        private static int invalid(Checkpoint.Loaded loaded) {
            return loaded != null && loaded.failure() != null ? 1 : 0;
        }

        /**
         * DAMAGED if anything was lost or is unusable. An incomplete last record alone is not: it is what a crash
         * during a write leaves, a transaction that was never acknowledged, and the channel recovers past it.
         */
        Status status() {
            return damagedRecords + malformedRecords + damagedHeaders + incompleteTransactions + droppedPointers
                    + unreadableQueued + invalidCheckpoints() > 0 ? Status.DAMAGED : Status.OK;
        }

        String summary() {
            if (status() == Status.OK) {
                return "OK" + (incompleteTails > 0 ? " (" + plural(incompleteTails, "incomplete last record")
                        + ": a write interrupted by a crash, never acknowledged)" : "");
            }
            List<String> counts = new ArrayList<>();
            add(counts, damagedRecords, "damaged records");
            add(counts, malformedRecords, "malformed records");
            add(counts, damagedHeaders, "damaged file headers");
            add(counts, incompleteTransactions, "committed transactions missing records");
            add(counts, droppedPointers, "queued events in missing data files");
            add(counts, unreadableQueued, "queued events with an unreadable record");
            add(counts, invalidCheckpoints(), "unusable checkpoints");
            add(counts, incompleteTails, "incomplete last records");
            return "DAMAGED (" + String.join(", ", counts) + ")";
        }

        private static void add(List<String> counts, int count, String what) {
            if (count > 0) {
                counts.add(what + ": " + count);
            }
        }

        String text() {
            StringBuilder out = new StringBuilder();
            out.append("File channel check\n");
            boolean dataOnly = directories.checkpointDir() == null;
            out.append("  checkpointDir        ").append(dataOnly ? "(not given: the data files are checked alone)"
                    : directories.checkpointDir()).append('\n');
            if (directories.backupCheckpointDir() != null) {
                out.append("  backupCheckpointDir  ").append(directories.backupCheckpointDir()).append('\n');
            }
            for (Path dir : directories.dataDirs()) {
                out.append("  dataDir              ").append(dir).append('\n');
            }
            if (inUse.isEmpty()) {
                out.append("In use: no\n");
            } else {
                out.append("In use: yes, a running channel holds ").append(inUse)
                        .append("; this is a snapshot of files being written and may be stale\n");
            }
            if (!dataOnly) {
                out.append(describe("Checkpoint", checkpoint));
                if (backup != null) {
                    out.append(describe("Backup checkpoint", backup));
                }
                out.append("A restart recovers from: ").append(chosen == null ? "a full replay of the data files"
                        : chosen == checkpoint ? "the checkpoint" : "the backup checkpoint").append('\n');
            }
            out.append("Data files: ").append(files.size()).append('\n');
            if (!files.isEmpty()) {
                String format = "  %-" + Math.max(4, files.stream().mapToInt(f -> f.path().toString().length())
                        .max().orElse(4)) + "s %12s %8s %8s %8s %8s  %-12s %s%n";
                out.append(String.format(format, "FILE", "BYTES", "PUTS", "TAKES", "COMMITS", "DAMAGED", "KEY",
                        "REPLAYED"));
                for (Replay.FileSummary file : files) {
                    String replayed = file.replayedFrom() < 0 || file.replayedFrom() >= file.size()
                            ? "no (the checkpoint covers it)"
                            : file.replayedFrom() <= Records.FILE_HEADER ? "whole"
                            : "from offset " + file.replayedFrom();
                    out.append(String.format(format, file.path(), file.size(), file.puts(), file.takes(),
                            file.commits(), file.damaged(), file.key() == null ? "-" : file.key(), replayed));
                }
                Set<String> keys = new TreeSet<>();
                files.stream().map(Replay.FileSummary::key).filter(Objects::nonNull).forEach(keys::add);
                if (!keys.isEmpty()) {
                    out.append("Encrypted: events in files marked with a KEY are encrypted with that key (").append(
                            String.join(", ", keys)).append("; ? for a damaged header); a start needs every key of "
                            + "a file holding queued events in encryption.keyProvider.keys. The check reads no keys: "
                            + "the checksums it verifies cover the encrypted bytes.\n");
                }
            }
            if (!findings.isEmpty()) {
                out.append("Findings:\n");
                findings.forEach(line -> out.append("  ").append(line).append('\n'));
            }
            out.append(dataOnly ? "Transactions in the data files: " : "Transactions a restart replays: ")
                    .append(transactions).append('\n');
            out.append(dataOnly ? "Events a full replay of the data files would deliver: "
                    : "Events a restart would deliver: ").append(restartEvents - unreadableQueued);
            if (unreadableQueued > 0) {
                out.append(" (").append(restartEvents).append(" queued, ").append(unreadableQueued)
                        .append(" of them unreadable)");
            }
            out.append('\n');
            if (droppedPointers > 0) {
                out.append("Events lost to missing data files: ").append(droppedPointers).append('\n');
            }
            out.append("Result: ").append(summary()).append('\n');
            return out.toString();
        }

        private static String describe(String what, Checkpoint.Loaded loaded) {
            Path file = loaded.dir().resolve(Checkpoint.FILE);
            if (loaded.absent()) {
                return what + " " + file + ": none\n";
            }
            if (!loaded.usable()) {
                return what + " " + file + ": NOT USABLE: " + loaded.failure().getMessage() + "\n";
            }
            Checkpoint c = loaded.checkpoint();
            return what + " " + file + ": valid, sequence " + c.sequence() + ", written " + loaded.modified()
                    + ", " + plural(c.pointers().length, "queued event") + ", next file id " + c.nextFileId()
                    + ", files being written " + c.activeOffsets() + "\n";
        }
    }

    private FileChannelCheck() {
    }

    /** Checks the directories, reading only. */
    static Report check(Directories dirs) throws UsageException, IOException {
        List<Path> all = new ArrayList<>();
        if (dirs.checkpointDir() != null) {
            all.add(dirs.checkpointDir());
        }
        if (dirs.backupCheckpointDir() != null) {
            all.add(dirs.backupCheckpointDir());
        }
        all.addAll(dirs.dataDirs());
        List<Path> inUse = new ArrayList<>();
        for (Path dir : all) {
            if (!Files.isDirectory(dir)) {
                throw new UsageException("no such directory: " + dir);
            }
            if (inUse(dir)) {
                inUse.add(dir);
            }
        }
        Checkpoint.Loaded checkpoint = dirs.checkpointDir() == null ? null : Checkpoint.load(dirs.checkpointDir());
        Checkpoint.Loaded backup = dirs.backupCheckpointDir() == null ? null
                : Checkpoint.load(dirs.backupCheckpointDir());
        Checkpoint.Loaded chosen = checkpoint == null ? null : Checkpoint.choose(checkpoint, () -> backup);
        // The data log's constructor only lists the directories; nothing is written before the first append.
        DataLog log = new DataLog("check", dirs.dataDirs(), DurableLogKeys.MAX_FILE_SIZE);
        Collector collector = new Collector();
        Replay.Result result;
        try {
            result = new Replay(log, chosen == null ? null : chosen.checkpoint(), collector, true).run();
        } catch (NoSuchFileException e) {
            if (inUse.isEmpty()) {
                throw e;
            }
            throw new IOException("data file " + e.getFile() + " vanished during the check: the running channel "
                    + "deleted it after a checkpoint; run the check again", e);
        }
        return new Report(dirs, inUse, checkpoint, backup, chosen, result.files(), collector.findings,
                collector.damagedRecords, collector.tails, collector.malformed, collector.headers,
                collector.incompleteTransactions, result.droppedPointers(), result.transactions(),
                result.queue().length, result.unreadable());
    }

    /**
     * Whether a running channel holds {@code dir/in_use.lock}; probes with a shared lock, released at once. In the
     * agent whose channel has the directory (the shell command), this JVM holds it: in use too.
     */
    static boolean inUse(Path dir) throws IOException {
        return DirectoryLock.isHeld(dir);
    }

    /** Turns what replay finds into report lines and counts. */
    private static final class Collector implements Replay.Observer {
        final List<String> findings = new ArrayList<>();
        int damagedRecords;
        int tails;
        int malformed;
        int headers;
        int incompleteTransactions;

        @Override
        public void damagedHeader(Path file) {
            headers++;
            findings.add(file + ": damaged file header (its records are read anyway)");
        }

        @Override
        public void damagedRecord(Path file, long offset, long skipped, boolean atEnd) {
            if (atEnd) {
                tails++;
                findings.add(file + " offset " + offset + ": incomplete last record, " + plural(skipped, "byte")
                        + " (a write interrupted by a crash, or in progress; not acknowledged)");
            } else {
                damagedRecords++;
                findings.add(file + " offset " + offset + ": damaged record, " + plural(skipped, "byte")
                        + " skipped up to the next valid record at offset " + (offset + skipped));
            }
        }

        @Override
        public void malformedRecord(Path file, long offset, String what) {
            malformed++;
            findings.add(file + " offset " + offset + ": " + what);
        }

        @Override
        public void incompleteTransaction(Path file, long offset, long txId, int puts, int takes, int readPuts,
                int readTakes) {
            incompleteTransactions++;
            findings.add(file + " offset " + offset + ": transaction " + txId + " committed " + puts + " puts and "
                    + takes + " takes, only " + readPuts + " and " + readTakes + " are readable");
        }

        @Override
        public void missingFile(long pointer) {
            findings.add("the checkpoint queues an event in " + Records.describe(pointer)
                    + ", a data file that is missing: the event is lost");
        }
    }

    static String plural(long count, String what) {
        return count + " " + what + (count == 1 ? "" : "s");
    }

    // ---------------------------------------------------------------------------------------------- command line

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The command line; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Directories dirs;
        try {
            dirs = parse(args);
        } catch (UsageException e) {
            err.println("sluice check-file-channel: " + e.getMessage());
            err.print(USAGE);
            return EXIT_USAGE;
        }
        if (dirs == null) {
            out.print(USAGE);
            return EXIT_OK;
        }
        try {
            Report report = check(dirs);
            out.print(report.text());
            return report.status() == Status.OK ? EXIT_OK : EXIT_DAMAGED;
        } catch (UsageException e) {
            err.println("sluice check-file-channel: " + e.getMessage());
            return EXIT_USAGE;
        } catch (IOException | RuntimeException e) {
            err.println("sluice check-file-channel: the check failed: " + e);
            e.printStackTrace(err);
            return EXIT_FAILED;
        }
    }

    /** The directories the command line names; null for help. */
    static Directories parse(String[] args) throws UsageException {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                return null;
            }
            String name;
            String value;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            } else {
                name = arg;
                if (i + 1 >= args.length) {
                    throw new UsageException(arg + " needs a value");
                }
                value = args[++i];
            }
            String key = switch (name) {
                case "--checkpointDir", "--dataDirs", "--backupCheckpointDir", "--channel", "--data" -> name.substring(2);
                case "-f", "--conf-file" -> "file";
                case "-n", "--name" -> "agent";
                default -> throw new UsageException("unknown option " + name);
            };
            if (options.put(key, value) != null) {
                throw new UsageException(name + " is given twice");
            }
        }
        boolean direct = options.containsKey("checkpointDir") || options.containsKey("dataDirs")
                || options.containsKey("backupCheckpointDir");
        boolean fromFile = options.containsKey("file") || options.containsKey("agent")
                || options.containsKey("channel") || options.containsKey("data");
        if (direct && fromFile) {
            throw new UsageException("give either the directories (--checkpointDir, --dataDirs) or a configuration "
                    + "(-f, -n, --channel), not both");
        }
        if (fromFile) {
            return fromProperties(options);
        }
        if (!options.containsKey("dataDirs")) {
            throw new UsageException("--dataDirs is needed, with --checkpointDir (or -f, -n and --channel)");
        }
        if (!options.containsKey("checkpointDir")) {
            if (options.containsKey("backupCheckpointDir")) {
                throw new UsageException("--backupCheckpointDir goes with --checkpointDir");
            }
            return dataDirectoriesOnly(options.get("dataDirs"));
        }
        return Directories.resolve(options.get("checkpointDir"), options.containsKey("backupCheckpointDir"),
                options.get("backupCheckpointDir"), options.get("dataDirs"), () -> {
                    throw new IllegalStateException("both directories are given: no default is needed");
                }, (key, message) -> new UsageException("--" + key + ": " + message));
    }

    /** The data directories alone: their files are checked without a checkpoint (Flume's FCINTEGRITYTOOL). */
    static Directories dataDirectoriesOnly(String dataDirs) throws UsageException {
        List<Path> dirs = new ArrayList<>();
        for (String entry : dataDirs.split(",")) {
            if (!entry.isBlank()) {
                try {
                    Path dir = Path.of(entry.trim());
                    if (!dirs.contains(dir)) {
                        dirs.add(dir);
                    }
                } catch (java.nio.file.InvalidPathException e) {
                    throw new UsageException("--dataDirs: '" + entry.trim() + "' is not a valid path");
                }
            }
        }
        if (dirs.isEmpty()) {
            throw new UsageException("--dataDirs names no directory");
        }
        return new Directories(null, null, List.copyOf(dirs));
    }

    private static Directories fromProperties(Map<String, String> options) throws UsageException {
        for (String needed : List.of("file", "agent", "channel")) {
            if (!options.containsKey(needed)) {
                throw new UsageException("-f FILE, -n AGENT and --channel NAME are needed together");
            }
        }
        Path file = Path.of(options.get("file"));
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e);
        }
        String agent = options.get("agent");
        String channel = options.get("channel");
        String prefix = agent + ".channels." + channel + ".";
        String type = trimmed(properties.getProperty(prefix + "type"));
        if (type == null) {
            throw new UsageException(file + " configures no channel " + channel + " of agent " + agent + " ("
                    + prefix + "type is not set)");
        }
        if (!TYPES.contains(type)) {
            throw new UsageException("channel " + channel + " of agent " + agent + " is of type " + type
                    + ", not a file channel");
        }
        Path dataRoot = options.containsKey("data") ? Path.of(options.get("data")) : defaultDataRoot();
        return Directories.resolve(trimmed(properties.getProperty(prefix + "checkpointDir")),
                Boolean.parseBoolean(trimmed(properties.getProperty(prefix + "useDualCheckpoints"))),
                trimmed(properties.getProperty(prefix + "backupCheckpointDir")),
                trimmed(properties.getProperty(prefix + "dataDirs")),
                // Not created: the check writes nothing; a missing directory is reported by check().
                () -> dataRoot.resolve(agent).resolve(channel),
                (key, message) -> new UsageException(prefix + key + ": " + message));
    }

    /** Where the launcher puts the agents' data: -Dsluice.data, else data/ of the installation. */
    private static Path defaultDataRoot() {
        String data = System.getProperty("sluice.data");
        if (data != null) {
            return Path.of(data);
        }
        String home = System.getProperty("sluice.home");
        return home == null ? Path.of("data") : Path.of(home, "data");
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }
}
