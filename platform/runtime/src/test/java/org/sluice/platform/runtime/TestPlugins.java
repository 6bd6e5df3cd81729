package org.sluice.platform.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.awaitility.Awaitility;
import org.sluice.api.channel.AbstractChannel;
import org.sluice.api.channel.AbstractTransaction;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.channel.Transaction;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.selector.ChannelSelector;
import org.sluice.api.selector.ChannelSelectorFactory;
import org.sluice.api.selector.SelectorContext;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.sink.SinkFactory;
import org.sluice.api.source.PollableSource;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.SourceFactory;
import org.sluice.platform.config.ConfigSchema;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.platform.metrics.Metrics;

/** Small real components the runtime tests run: a queue channel, a numbering source, a collecting sink. */
final class TestPlugins {
    private TestPlugins() {
    }

    static final AtomicLong SERVICE_IDS = new AtomicLong(1);

    /** Configures a component of {@code agent} as Config Admin would: {@code org.sluice.sink~a1.k1}. */
    static void configure(RuntimeEngine engine, String agent, ComponentKind kind, String name, String... keyValues) {
        Map<String, String> props = new HashMap<>();
        props.put(ConfigSchema.AGENT, agent);
        props.put(ConfigSchema.COMPONENT, name);
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        engine.configure(ConfigSchema.factoryPid(kind), pid(agent, kind, name), props);
    }

    static String pid(String agent, ComponentKind kind, String name) {
        return ConfigSchema.factoryPid(kind) + "~" + agent + "." + name;
    }

    /** The component's status, or null while it has none. */
    static ComponentStatus status(RuntimeEngine engine, String agent, String name) {
        return engine.components(agent).stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    /** True when the component has a status in this state. */
    static boolean isIn(RuntimeEngine engine, String agent, String name, ComponentState state) {
        ComponentStatus status = status(engine, agent, name);
        return status != null && status.state() == state;
    }

    /** Waits up to 30 s (the machine may be busy) for the condition, checking every 10 ms. */
    static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
    }

    /** Checks that the condition holds throughout {@code period} (what a test of "nothing happens" asserts). */
    static void holdsFor(String what, Duration period, BooleanSupplier condition) {
        Awaitility.await(what).during(period).atMost(period.plusSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(condition::getAsBoolean);
    }

    static Provider provider(Object factory, String... types) {
        return new Provider(factory, List.of(types),
                SERVICE_IDS.getAndIncrement(), 0, "test.bundle", "1.0.0");
    }

    /** Metrics without JMX. */
    static final class MapMetrics implements Metrics {
        final Map<String, ComponentCounters> counters = new ConcurrentHashMap<>();

        @Override
        public ComponentCounters counters(String agent, ComponentKind kind, String name) {
            return counters.computeIfAbsent(agent + "/" + kind + "/" + name, k -> kind == ComponentKind.SOURCE
                    ? ComponentCounters.forSource(agent, name)
                    : kind == ComponentKind.CHANNEL ? ComponentCounters.forChannel(agent, name)
                            : ComponentCounters.forSink(agent, name));
        }

        @Override
        public void remove(String agent, ComponentKind kind, String name) {
            counters.remove(agent + "/" + kind + "/" + name);
        }

        @Override
        public Collection<ComponentCounters> all() {
            return counters.values();
        }
    }

    // ------------------------------------------------------------------ channel

    static final class QueueChannelFactory implements ChannelFactory {
        final List<QueueChannel> created = new CopyOnWriteArrayList<>();

        @interface Config {
            int capacity() default 100;
        }

        @Override
        public Class<?> configurationType() {
            return Config.class;
        }

        @Override
        public Channel create(ChannelContext context) throws ConfigurationException {
            QueueChannel channel = new QueueChannel(context.config(Config.class).capacity(), context);
            created.add(channel);
            return channel;
        }
    }

    static final class QueueChannel extends AbstractChannel {
        private final Deque<Event> queue = new ArrayDeque<>();
        private final int capacity;
        private final ChannelContext context;
        volatile boolean stopped;

        QueueChannel(int capacity, ChannelContext context) {
            this.capacity = capacity;
            this.context = context;
        }

        synchronized int size() {
            return queue.size();
        }

        @Override
        public void stop() {
            stopped = true;
        }

        @Override
        protected AbstractTransaction createTransaction() {
            return new AbstractTransaction() {
                final List<Event> puts = new ArrayList<>();
                final List<Event> takes = new ArrayList<>();

                @Override
                protected void doPut(Event event) {
                    puts.add(event);
                }

                @Override
                protected Event doTake() {
                    synchronized (QueueChannel.this) {
                        Event e = queue.pollFirst();
                        if (e != null) {
                            takes.add(e);
                        }
                        return e;
                    }
                }

                @Override
                protected void doCommit() {
                    synchronized (QueueChannel.this) {
                        if (queue.size() + puts.size() > capacity) {
                            throw new ChannelException("full");
                        }
                        queue.addAll(puts);
                        context.counter().setChannelSize(queue.size());
                    }
                }

                @Override
                protected void doRollback() {
                    synchronized (QueueChannel.this) {
                        for (int i = takes.size() - 1; i >= 0; i--) {
                            queue.addFirst(takes.get(i));
                        }
                        context.counter().setChannelSize(queue.size());
                    }
                }
            };
        }
    }

    // ------------------------------------------------------------------ source

    /** Emits events numbered from 0, {@code batch} per poll, up to {@code total}. */
    static final class NumberSourceFactory implements SourceFactory {
        final AtomicInteger created = new AtomicInteger();

        @interface Config {
            long total() default 1000;

            int batch() default 10;
        }

        @Override
        public Class<?> configurationType() {
            return Config.class;
        }

        @Override
        public Source create(SourceContext context) throws ConfigurationException {
            created.incrementAndGet();
            Config config = context.config(Config.class);
            return new NumberSource(context, config.total(), config.batch());
        }
    }

    /** Numbers continue across instances so restarts do not repeat them. */
    static final AtomicLong NEXT_NUMBER = new AtomicLong();

    static final class NumberSource implements PollableSource {
        private final SourceContext context;
        private final long total;
        private final int batch;

        NumberSource(SourceContext context, long total, int batch) {
            this.context = context;
            this.total = total;
            this.batch = batch;
        }

        @Override
        public Status process() {
            synchronized (NEXT_NUMBER) {
                long first = NEXT_NUMBER.get();
                if (first >= total) {
                    return Status.BACKOFF;
                }
                List<Event> events = new ArrayList<>();
                for (long n = first; n < Math.min(total, first + batch); n++) {
                    events.add(EventBuilder.withBody(Long.toString(n), StandardCharsets.UTF_8));
                }
                context.channelProcessor().processEventBatch(events);
                NEXT_NUMBER.addAndGet(events.size());
                return Status.READY;
            }
        }

        @Override
        public long backoffSleepIncrement() {
            return 10;
        }

        @Override
        public long maxBackoffSleep() {
            return 50;
        }
    }

    // ------------------------------------------------------------------ sink

    /**
     * A sink that takes up to {@code batch} events a transaction and, once it committed, adds what {@code record} makes
     * of each to {@code delivered}; it backs off when the channel is empty.
     */
    static Sink takingSink(SinkContext context, int batch, Function<Event, String> record, List<String> delivered) {
        return () -> {
            Channel channel = context.channel();
            Transaction tx = channel.getTransaction();
            tx.begin();
            try {
                List<String> taken = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    Event event = channel.take();
                    if (event == null) {
                        break;
                    }
                    taken.add(record.apply(event));
                }
                tx.commit();
                delivered.addAll(taken);
                return taken.isEmpty() ? Sink.Status.BACKOFF : Sink.Status.READY;
            } catch (RuntimeException e) {
                tx.rollback();
                throw e;
            } finally {
                tx.close();
            }
        };
    }

    static final class CollectingSinkFactory implements SinkFactory {
        final List<String> delivered = new CopyOnWriteArrayList<>();
        final AtomicInteger created = new AtomicInteger();

        @Override
        public Sink create(SinkContext context) {
            created.incrementAndGet();
            return takingSink(context, 20, event -> new String(event.getBody(), StandardCharsets.UTF_8),
                    delivered);
        }
    }

    // ------------------------------------------------------------------ selector

    static final class ReplicatingFactory implements ChannelSelectorFactory {
        @Override
        public ChannelSelector create(SelectorContext context) {
            List<Channel> all = context.channels();
            return new ChannelSelector() {
                @Override
                public List<Channel> requiredChannels(Event event) {
                    return all;
                }

                @Override
                public List<Channel> optionalChannels(Event event) {
                    return List.of();
                }
            };
        }
    }
}
