package org.sluice.channel.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.ChannelFullException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.testkit.TestContexts;

class JdbcChannelTest {
    @TempDir
    Path data;

    private final JdbcChannelFactory factory = new JdbcChannelFactory();
    private final List<JdbcChannel> running = new ArrayList<>();
    private ChannelContext context;

    @AfterEach
    void stopAll() {
        running.forEach(JdbcChannel::stop);
    }

    private JdbcChannel channel(Map<String, String> properties) throws Exception {
        return channel("c1", properties);
    }

    private JdbcChannel channel(String name, Map<String, String> properties) throws Exception {
        context = TestContexts.channel(name, properties, data);
        JdbcChannel channel = (JdbcChannel) factory.create(context);
        channel.start();
        running.add(channel);
        return channel;
    }

    private JdbcChannel restart(JdbcChannel channel, Map<String, String> properties) throws Exception {
        channel.stop();
        running.remove(channel);
        return channel(properties);
    }

    @Test
    void theDefaultDatabaseIsUnderTheChannelsDataDirectory() throws Exception {
        JdbcChannel channel = channel(Map.of());
        putCommitted(channel, "a");
        assertTrue(Files.isDirectory(data.resolve(TestContexts.AGENT).resolve("c1").resolve("db")));
    }

    @Test
    void putsBecomeVisibleOnlyOnCommit() throws Exception {
        JdbcChannel channel = channel(Map.of());
        Transaction tx = channel.getTransaction();
        tx.begin();
        channel.put(event("a"));
        channel.put(event("b"));
        assertEquals(List.of(), onOtherThread(() -> takeAll(channel)), "uncommitted puts are invisible");
        tx.commit();
        tx.close();
        assertEquals(List.of("a", "b"), onOtherThread(() -> takeAll(channel)));
    }

    @Test
    void headersAndBodiesSurviveARestart() throws Exception {
        JdbcChannel channel = channel(Map.of());
        Event sent = EventBuilder.withBody("h\u00e9llo \ud83d\ude00".getBytes(StandardCharsets.UTF_8),
                Map.of("host", "w\u00e9b1", "empty", "", "big", "x".repeat(5000)));
        Event empty = EventBuilder.withBody(new byte[0], Map.of());
        putCommitted(channel, sent, empty);
        channel = restart(channel, Map.of());
        Transaction tx = channel.getTransaction();
        tx.begin();
        Event got = channel.take();
        Event gotEmpty = channel.take();
        tx.commit();
        tx.close();
        assertEquals(sent.getHeaders(), got.getHeaders());
        assertEquals(body(sent), body(got));
        assertEquals(Map.of(), gotEmpty.getHeaders());
        assertEquals(0, gotEmpty.getBody().length);
    }

    @Test
    void rollbacksDiscardPutsAndReturnTakesInOrder() throws Exception {
        JdbcChannel channel = channel(Map.of());
        Transaction put = channel.getTransaction();
        put.begin();
        channel.put(event("lost"));
        put.rollback();
        put.close();
        putCommitted(channel, "e0", "e1", "e2");

        Transaction take = channel.getTransaction();
        take.begin();
        assertEquals("e0", body(channel.take()));
        assertEquals("e1", body(channel.take()));
        take.rollback();
        take.close();

        assertEquals(3, channel.size());
        assertEquals(List.of("e0", "e1", "e2"), takeAll(channel));
        assertEquals(0, channel.size());
    }

    @Test
    void restartKeepsCommittedEventsAndDropsUncommittedOnes() throws Exception {
        JdbcChannel channel = channel(Map.of());
        putCommitted(channel, "a", "b", "c");
        Transaction open = channel.getTransaction();
        open.begin();
        channel.put(event("never committed"));
        // The channel stops under the open transaction, as a crash would leave it.
        channel = restart(channel, Map.of());
        assertEquals(List.of("a", "b", "c"), takeAll(channel));
    }

    @Test
    void committedTakesStayTakenAcrossRestartsAndOrderIsKept() throws Exception {
        JdbcChannel channel = channel(Map.of());
        putCommitted(channel, "a", "b", "c", "d");
        assertEquals(List.of("a", "b"), take(channel, 2));
        putCommitted(channel, "e");
        channel = restart(channel, Map.of());
        assertEquals(List.of("c"), take(channel, 1));
        putCommitted(channel, "f");
        channel = restart(channel, Map.of());
        assertEquals(List.of("d", "e", "f"), takeAll(channel));
        channel = restart(channel, Map.of());
        assertEquals(List.of(), takeAll(channel));
    }

    @Test
    void channelsSharingADatabaseSeeOnlyTheirOwnEvents() throws Exception {
        // Two channels share one database (Flume's layout): each sees only its own rows.
        Path db = data.resolve("shared");
        Map<String, String> shared = Map.of("driver.url", "jdbc:derby:" + db + ";create=true");
        JdbcChannel one = channel("c1", shared);
        JdbcChannel two = channel("c2", shared);
        putCommitted(one, "1a", "1b");
        putCommitted(two, "2a");
        assertEquals(List.of("2a"), takeAll(two));
        assertEquals(List.of("1a", "1b"), takeAll(one));
    }

    @Test
    void maximumCapacityRefusesPutsNamingTheKey() throws Exception {
        JdbcChannel channel = channel(Map.of("maximum.capacity", "3"));
        putCommitted(channel, "a", "b");
        ChannelFullException full = assertThrows(ChannelFullException.class, () -> putCommitted(channel, "c", "d"));
        assertTrue(full.getMessage().contains("maximum.capacity = 3"), full.getMessage());
        assertEquals(2, channel.size());
        // A transaction that takes frees its own room.
        Transaction tx = channel.getTransaction();
        tx.begin();
        channel.take();
        channel.take();
        channel.put(event("c"));
        channel.put(event("d"));
        channel.put(event("e"));
        tx.commit();
        tx.close();
        assertEquals(List.of("c", "d", "e"), takeAll(channel));
    }

    @Test
    void publishesSizeAndCapacity() throws Exception {
        JdbcChannel channel = channel(Map.of("maximum.capacity", "50"));
        putCommitted(channel, "a", "b");
        ChannelCounter counter = context.counter();
        assertEquals(50, counter.get(ChannelCounter.CHANNEL_CAPACITY));
        assertEquals(2, counter.get(ChannelCounter.CHANNEL_SIZE));
    }

    @Test
    void aStoppedChannelRefusesPutsAndTakes() throws Exception {
        JdbcChannel channel = channel(Map.of());
        channel.stop();
        running.remove(channel);
        assertThrows(ChannelException.class, () -> putCommitted(channel, "a"));
        assertThrows(ChannelException.class, () -> take(channel, 1));
    }

    @Test
    void createSchemaFalseOnAnEmptyDatabaseFailsTheStart() throws Exception {
        context = TestContexts.channel("c1", Map.of("create.schema", "false"), data);
        JdbcChannel channel = (JdbcChannel) factory.create(context);
        ChannelException e = assertThrows(ChannelException.class, channel::start);
        assertTrue(String.valueOf(e.getCause()).contains("create.schema") || e.getMessage().contains("create.schema"),
                e.toString());
        // The failed start released the database: a channel that may create the schema can open it.
        putCommitted(channel(Map.of()), "a");
    }

    @Test
    void syspropUserHomeChoosesTheDefaultDatabaseAsFlumeDoes() throws Exception {
        Path home = data.resolve("home");
        String before = System.getProperty("user.home");
        JdbcChannel channel = channel(Map.of("sysprop.user.home", home.toString()));
        putCommitted(channel, "a");
        assertTrue(Files.isDirectory(home.resolve(".flume").resolve("jdbc-channel").resolve("db")));
        assertEquals(before, System.getProperty("user.home"), "the JVM's user.home is left alone");
    }

    @Test
    void badValuesNameTheirKey() {
        assertKey("db.type", Map.of("db.type", "MYSQL"));
        assertKey("transaction.isolation", Map.of("transaction.isolation", "SOMETIMES"));
        assertKey("maximum.connections", Map.of("maximum.connections", "0"));
        assertKey("maximum.capacity", Map.of("maximum.capacity", "-1"));
        assertKey("connection.properties.file", Map.of("connection.properties.file", data.resolve("nope").toString()));
    }

    @Test
    void anUnknownDriverClassFailsTheStartNamingTheKey() throws Exception {
        context = TestContexts.channel("c1", Map.of("driver.class", "com.example.NoSuchDriver"), data);
        JdbcChannel channel = (JdbcChannel) factory.create(context);
        ChannelException e = assertThrows(ChannelException.class, channel::start);
        assertTrue(e.getMessage().contains("driver.class"), e.getMessage());
    }

    @Test
    void everyIsolationLevelKeepsUncommittedPutsInvisible() throws Exception {
        for (String level : List.of("READ_UNCOMMITTED", "REPEATABLE_READ", "SERIALIZABLE")) {
            JdbcChannel channel = channel("c-" + level.toLowerCase(), Map.of("transaction.isolation", level));
            Transaction tx = channel.getTransaction();
            tx.begin();
            channel.put(event("x"));
            assertEquals(List.of(), onOtherThread(() -> takeAll(channel)), level);
            tx.commit();
            tx.close();
            assertEquals(List.of("x"), onOtherThread(() -> takeAll(channel)), level);
        }
    }

    @Test
    void concurrentProducersAndConsumersNeitherLoseNorDuplicate() throws Exception {
        JdbcChannel channel = channel(Map.of("maximum.connections", "4"));
        int producers = 3;
        int perProducer = 300;
        ExecutorService pool = Executors.newFixedThreadPool(producers + 2);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perProducer; i += 10) {
                        String[] bodies = new String[10];
                        for (int j = 0; j < 10; j++) {
                            bodies[j] = id + "-" + (i + j);
                        }
                        putCommitted(channel, bodies);
                    }
                }));
            }
            Map<String, Integer> seen = new ConcurrentHashMap<>();
            AtomicInteger total = new AtomicInteger();
            List<Future<?>> consumers = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                consumers.add(pool.submit(() -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (total.get() < producers * perProducer && System.nanoTime() < deadline) {
                        for (String body : take(channel, 25)) {
                            seen.merge(body, 1, Integer::sum);
                            total.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
            for (Future<?> future : consumers) {
                future.get(90, TimeUnit.SECONDS);
            }
            assertEquals(producers * perProducer, seen.size());
            assertTrue(seen.values().stream().allMatch(n -> n == 1), "no duplicates");
        } finally {
            pool.shutdownNow();
        }
    }

    private void assertKey(String key, Map<String, String> properties) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> factory.create(TestContexts.channel("c1", new HashMap<>(properties), data)));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    static Event event(String body) {
        return EventBuilder.withBody(body, StandardCharsets.UTF_8);
    }

    static String body(Event event) {
        return new String(event.getBody(), StandardCharsets.UTF_8);
    }

    static void putCommitted(Channel channel, String... bodies) {
        Event[] events = new Event[bodies.length];
        for (int i = 0; i < bodies.length; i++) {
            events[i] = event(bodies[i]);
        }
        putCommitted(channel, events);
    }

    static void putCommitted(Channel channel, Event... events) {
        Transaction tx = channel.getTransaction();
        tx.begin();
        try {
            for (Event event : events) {
                channel.put(event);
            }
            tx.commit();
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        } finally {
            tx.close();
        }
    }

    static List<String> take(Channel channel, int max) {
        List<String> bodies = new ArrayList<>();
        Transaction tx = channel.getTransaction();
        tx.begin();
        try {
            for (Event event; bodies.size() < max && (event = channel.take()) != null; ) {
                bodies.add(body(event));
            }
            tx.commit();
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        } finally {
            tx.close();
        }
        return bodies;
    }

    static List<String> takeAll(Channel channel) {
        List<String> all = new ArrayList<>();
        for (List<String> batch; !(batch = take(channel, 100)).isEmpty(); ) {
            all.addAll(batch);
        }
        return all;
    }

    private static <T> T onOtherThread(java.util.concurrent.Callable<T> task) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return task.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).get(10, TimeUnit.SECONDS);
    }
}
