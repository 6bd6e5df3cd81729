package org.sluice.jmh.channel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelFullException;
import org.sluice.api.event.Event;
import org.sluice.channel.memory.MemoryChannelFactory;
import org.sluice.jmh.BenchmarkEvents;
import org.sluice.platform.runtime.ManagedChannels;

/**
 * The CPU time one event costs on its way through the memory channel as an agent moves it: a source thread puts
 * batches with the runtime's put template, a sink thread takes them through its view of the channel (counters and
 * tap checks included). Unlike JMH's throughput, CPU time per event holds up on a machine shared with other work,
 * which is what this is for: comparing two builds in turn. The events are a pool of {@value #POOL} distinct ones,
 * larger than the caches, so the sink meets each event cold, as in an agent.
 *
 * <p>Usage (class path as {@code run.sh} builds it): {@code java -cp ... org.sluice.jmh.channel.ManagedChannelCpu
 * [batch] [millions of events measured] [one-thread]}; prints the producer's, the consumer's and both threads' CPU
 * ns per event, or with {@code one-thread} the CPU ns per event of one thread that puts a batch and then takes it
 * (no hand-over between threads, whose waits and wake-ups vary from run to run).
 */
public final class ManagedChannelCpu {
    private static final int POOL = 100_000;

    private ManagedChannelCpu() {
    }

    public static void main(String[] args) throws Exception {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        long measured = (args.length > 1 ? Long.parseLong(args[1]) : 20) * 1_000_000L;
        long warmUp = measured / 2;
        boolean oneThread = args.length > 2 && args[2].equals("one-thread");
        Map<String, String> properties = new HashMap<>(MemoryChannelBenchmark.PROPERTIES);
        properties.put("keep-alive", "1");
        Channel plugin = Channels.sluice(new MemoryChannelFactory(), properties, null);
        Channel managed = ManagedChannels.managed("a1", "c1", plugin);
        Channel sinkView = ManagedChannels.sinkView(managed);
        List<Event> pool = BenchmarkEvents.sluice(POOL);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (oneThread) {
            long start = 0;
            int from = 0;
            for (long moved = 0; moved < warmUp + measured; moved += batch) {
                if (moved == warmUp) {
                    start = threads.getCurrentThreadCpuTime();
                }
                if (from + batch > POOL) {
                    from = 0;
                }
                ManagedChannels.putAll(managed, pool.subList(from, from + batch));
                from += batch;
                Channels.checkRound(Channels.take(sinkView, batch), batch, "sluice");
            }
            plugin.stop();
            System.out.printf("batch %d, %d events measured on one thread: %.1f ns/event CPU%n", batch, measured,
                    (double) (threads.getCurrentThreadCpuTime() - start) / measured);
            return;
        }
        AtomicLong producerNanos = new AtomicLong();
        AtomicLong consumerNanos = new AtomicLong();

        Thread producer = new Thread(() -> {
            long put = 0;
            long start = 0;
            int from = 0;
            while (put < warmUp + measured) {
                if (put == warmUp) {
                    start = threads.getCurrentThreadCpuTime();
                }
                if (from + batch > POOL) {
                    from = 0;
                }
                try {
                    ManagedChannels.putAll(managed, pool.subList(from, from + batch));
                } catch (ChannelFullException e) {
                    continue;
                }
                from += batch;
                put += batch;
            }
            producerNanos.set(threads.getCurrentThreadCpuTime() - start);
        }, "source");
        Thread consumer = new Thread(() -> {
            long taken = 0;
            long start = 0;
            boolean started = false;
            while (taken < warmUp + measured) {
                if (!started && taken >= warmUp) {
                    start = threads.getCurrentThreadCpuTime();
                    started = true;
                }
                taken += Channels.take(sinkView, batch);
            }
            consumerNanos.set(threads.getCurrentThreadCpuTime() - start);
        }, "sink");
        long wall = System.nanoTime();
        producer.start();
        consumer.start();
        producer.join();
        consumer.join();
        wall = System.nanoTime() - wall;
        plugin.stop();
        double p = (double) producerNanos.get() / measured;
        double c = (double) consumerNanos.get() / measured;
        System.out.printf("batch %d, %d events measured: source %.1f ns/event, sink %.1f ns/event, both %.1f "
                + "ns/event CPU (wall %.1f s for all)%n", batch, measured, p, c, p + c, wall / 1e9);
    }
}
