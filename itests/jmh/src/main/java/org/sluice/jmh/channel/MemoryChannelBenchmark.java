package org.sluice.jmh.channel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.flume.channel.MemoryChannel;
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
import org.sluice.channel.memory.MemoryChannelFactory;
import org.sluice.jmh.BenchmarkEvents;
import org.sluice.platform.runtime.ManagedChannels;

/**
 * The memory channel on one thread: a transaction putting a batch of events, then one taking them all, per
 * operation. Sluice's memory channel against Apache Flume 1.11.0's MemoryChannel, both configured with
 * {@code capacity = 100000} and {@code transactionCapacity = 1000} (the end-to-end scenarios' settings).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MemoryChannelBenchmark {
    static final Map<String, String> PROPERTIES = Map.of("capacity", "100000", "transactionCapacity", "1000");

    /** Events per transaction. */
    @Param({"100", "1000"})
    public int batch;

    private List<Event> sluiceEvents;
    private List<org.apache.flume.Event> flumeEvents;
    private Channel sluice;
    /** The plugin's channel inside {@link #sluiceManaged}, which leaves stopping it to the runtime. */
    private Channel sluiceInManaged;
    private Channel sluiceManaged;
    private Channel sluiceSinkView;
    private MemoryChannel flume;

    @Setup
    public void setUp() throws Exception {
        sluiceEvents = BenchmarkEvents.sluice(batch);
        flumeEvents = BenchmarkEvents.flume(batch);
        sluice = Channels.sluice(new MemoryChannelFactory(), PROPERTIES, null);
        flume = Channels.flume(new MemoryChannel(), PROPERTIES);
        sluiceInManaged = Channels.sluice(new MemoryChannelFactory(), PROPERTIES, null);
        sluiceManaged = ManagedChannels.managed("a1", "c1", sluiceInManaged);
        sluiceSinkView = ManagedChannels.sinkView(sluiceManaged);
        Channels.checkRound(sluicePutThenTake(), batch, "sluice");
        Channels.checkRound(sluiceManagedPutThenTake(), batch, "sluiceManaged");
        Channels.checkRound(flumePutThenTake(), batch, "flume");
    }

    @TearDown
    public void tearDown() {
        sluice.stop();
        sluiceInManaged.stop();
        flume.stop();
    }

    @Benchmark
    public int sluicePutThenTake() {
        Channels.put(sluice, sluiceEvents);
        return Channels.take(sluice, batch);
    }

    /** As in an agent: the runtime's ManagedChannel, its put template, and a sink's SinkChannel. */
    @Benchmark
    public int sluiceManagedPutThenTake() {
        ManagedChannels.putAll(sluiceManaged, sluiceEvents);
        return Channels.take(sluiceSinkView, batch);
    }

    @Benchmark
    public int flumePutThenTake() {
        Channels.put(flume, flumeEvents);
        return Channels.take(flume, batch);
    }
}
