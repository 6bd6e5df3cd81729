package org.sluice.jmh.channel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.flume.channel.MemoryChannel;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelFullException;
import org.sluice.api.event.Event;
import org.sluice.channel.memory.MemoryChannelFactory;
import org.sluice.jmh.BenchmarkEvents;
import org.sluice.platform.runtime.ManagedChannels;

/**
 * The memory channel between two threads, as between a source and a sink: one thread commits transactions
 * putting a batch, the other commits transactions taking up to a batch (JMH groups {@code sluice} and
 * {@code flume}, one producer and one consumer each). Group {@code sluiceManaged} runs Sluice's channel as
 * sources and sinks reach it in an agent: wrapped in the runtime's ManagedChannel, which keeps Flume's put and
 * take counters and offers every event to the channel's taps, the batch put with the runtime's put template and
 * the takes through a sink's view of the channel. The figure to read is the consumer's {@code eventsTaken}
 * per second; the producer's ops/s are batches put, and when it is faster than the consumer it waits at commit
 * for room, as a source does. {@code keep-alive = 1} for both channels, so a take or put left waiting when an
 * iteration ends gives up within a second (Flume's takes wait keep-alive whenever the channel is empty).
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MemoryChannelTwoThreadBenchmark {
    /** Events per transaction, on both sides. */
    @Param({"100", "1000"})
    public int batch;

    private List<Event> sluiceEvents;
    private List<org.apache.flume.Event> flumeEvents;
    private Channel sluice;
    /** The plugin's channel inside {@link #sluiceManaged}: the wrapper leaves stopping it to the runtime. */
    private Channel sluiceInManaged;
    private Channel sluiceManaged;
    private Channel sluiceSinkView;
    private MemoryChannel flume;

    /** Per thread: what the consumer took, and puts refused at the end of an iteration (channel full). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counts {
        public long eventsTaken;
        public long putsRefused;
    }

    @Setup
    public void setUp() throws Exception {
        Map<String, String> properties = new HashMap<>(MemoryChannelBenchmark.PROPERTIES);
        properties.put("keep-alive", "1");
        sluiceEvents = BenchmarkEvents.sluice(batch);
        flumeEvents = BenchmarkEvents.flume(batch);
        sluice = Channels.sluice(new MemoryChannelFactory(), properties, null);
        flume = Channels.flume(new MemoryChannel(), properties);
        sluiceInManaged = Channels.sluice(new MemoryChannelFactory(), properties, null);
        sluiceManaged = ManagedChannels.managed("a1", "c1", sluiceInManaged);
        sluiceSinkView = ManagedChannels.sinkView(sluiceManaged);
    }

    @TearDown
    public void tearDown() {
        sluice.stop();
        sluiceInManaged.stop();
        flume.stop();
    }

    @Benchmark
    @Group("sluice")
    @GroupThreads(1)
    public void sluicePut(Counts counts) {
        try {
            Channels.put(sluice, sluiceEvents);
        } catch (ChannelFullException e) {
            counts.putsRefused++;
        }
    }

    @Benchmark
    @Group("sluice")
    @GroupThreads(1)
    public void sluiceTake(Counts counts) {
        counts.eventsTaken += Channels.take(sluice, batch);
    }

    @Benchmark
    @Group("sluiceManaged")
    @GroupThreads(1)
    public void sluiceManagedPut(Counts counts) {
        try {
            ManagedChannels.putAll(sluiceManaged, sluiceEvents);
        } catch (ChannelFullException e) {
            counts.putsRefused++;
        }
    }

    @Benchmark
    @Group("sluiceManaged")
    @GroupThreads(1)
    public void sluiceManagedTake(Counts counts) {
        counts.eventsTaken += Channels.take(sluiceSinkView, batch);
    }

    @Benchmark
    @Group("flume")
    @GroupThreads(1)
    public void flumePut(Counts counts) {
        try {
            Channels.put(flume, flumeEvents);
        } catch (org.apache.flume.ChannelFullException e) {
            counts.putsRefused++;
        }
    }

    @Benchmark
    @Group("flume")
    @GroupThreads(1)
    public void flumeTake(Counts counts) {
        counts.eventsTaken += Channels.take(flume, batch);
    }
}
