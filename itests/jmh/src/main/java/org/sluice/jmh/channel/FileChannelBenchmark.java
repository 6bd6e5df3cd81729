package org.sluice.jmh.channel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.flume.channel.file.FileChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sluice.api.channel.Channel;
import org.sluice.api.event.Event;
import org.sluice.channel.file.FileChannelFactory;
import org.sluice.jmh.BenchmarkEvents;

/**
 * The file channel on one thread: a transaction putting a batch, then one taking it, per operation, each commit
 * written and fsynced (Flume's default {@code fsyncPerTransaction = true}). Sluice's file channel against Apache
 * Flume 1.11.0's FileChannel, configured alike: {@code transactionCapacity = 1000}, {@code maxFileSize} 128 MiB
 * and a checkpoint every 5 s, so spent data files are deleted while a run lasts.
 *
 * <p>{@code storage = tmpfs} (the default: {@code /dev/shm}) takes the disk out, so the figure is each channel's
 * own cost of writing, syncing and reading back a batch; {@code -p storage=target} writes under
 * {@code itests/jmh/target} instead, where the disk's fsync dominates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FileChannelBenchmark {
    @Param({"100", "1000"})
    public int batch;

    @Param({"tmpfs"})
    public String storage;

    private Path root;
    private List<Event> sluiceEvents;
    private List<org.apache.flume.Event> flumeEvents;
    private Channel sluice;
    private FileChannel flume;

    @Setup
    public void setUp() throws Exception {
        Path base = switch (storage) {
            case "tmpfs" -> Paths.get("/dev/shm");
            case "target" -> Paths.get("target");
            default -> throw new IllegalArgumentException("storage is tmpfs or target, not " + storage);
        };
        root = Files.createTempDirectory(Files.createDirectories(base), "sluice-jmh-file-channel-");
        sluiceEvents = BenchmarkEvents.sluice(batch);
        flumeEvents = BenchmarkEvents.flume(batch);
        sluice = Channels.sluice(new FileChannelFactory(), properties(root.resolve("sluice")), root);
        flume = Channels.flume(new FileChannel(), properties(root.resolve("flume")));
        if (!flume.isOpen()) {
            throw new IllegalStateException("Flume's file channel did not open: " + flume);
        }
        Channels.checkRound(sluicePutThenTake(), batch, "sluice");
        Channels.checkRound(flumePutThenTake(), batch, "flume");
    }

    private static Map<String, String> properties(Path dir) {
        return Map.of("checkpointDir", dir.resolve("checkpoint").toString(),
                "dataDirs", dir.resolve("data").toString(),
                "capacity", "100000",
                "transactionCapacity", "1000",
                "maxFileSize", String.valueOf(128L << 20),
                "checkpointInterval", "5000");
    }

    @TearDown
    public void tearDown() throws IOException {
        sluice.stop();
        flume.stop();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Benchmark
    public int sluicePutThenTake() {
        Channels.put(sluice, sluiceEvents);
        return Channels.take(sluice, batch);
    }

    @Benchmark
    public int flumePutThenTake() {
        Channels.put(flume, flumeEvents);
        return Channels.take(flume, batch);
    }
}
