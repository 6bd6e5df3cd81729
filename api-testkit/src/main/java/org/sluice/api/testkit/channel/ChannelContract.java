package org.sluice.api.testkit.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.sluice.api.testkit.ChannelTransactions.putBodies;
import static org.sluice.api.testkit.ChannelTransactions.putCommitted;
import static org.sluice.api.testkit.ChannelTransactions.take;
import static org.sluice.api.testkit.ChannelTransactions.takeBodies;
import static org.sluice.api.testkit.TextEvents.body;
import static org.sluice.api.testkit.TextEvents.event;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.channel.ChannelFullException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.testkit.ChannelTransactions;
import org.sluice.api.testkit.Contexts;
import org.sluice.api.testkit.OtherThread;

/**
 * What every Sluice channel does, as JUnit 5 tests: a channel plugin's test extends this class, says how to
 * make its channel ({@link #factory()}, {@link #settings()}) and how long its takes wait ({@link #takeWait()}),
 * and inherits every test below. Its limits are Flume's keys ({@code capacity}, {@code transactionCapacity},
 * {@code keep-alive}) unless it says otherwise ({@link #capacity}, {@link #transactionCapacity},
 * {@link #keepAlive}); a test whose limit the channel does not have is skipped, not passed. The channel is
 * made through its factory, as the platform makes it, named {@value #NAME}, with its data under a fresh
 * directory per test.
 *
 * <p>The tests cover, in Flume's terms: the transaction's state machine and its thread (begin, put/take,
 * commit or rollback, close, on the thread that began it); visibility on commit and FIFO order; rollback,
 * which drops the puts and returns the takes to the head in their order; capacity, where events taken by open
 * transactions keep their place and a commit that does not fit is refused with ChannelFullException naming
 * the channel and its key, and transactionCapacity, beyond which a put or take fails with ChannelException;
 * keep-alive (a put commit waits for room) and the short wait of a transaction's first take; stop (puts
 * refused, waiting takes and commits woken; a channel that is not durable then hands out what it holds, a
 * durable one keeps it for its successor); the gauges a channel publishes; and injected failures, after each
 * of which the channel holds exactly what it held and goes on working: an event that cannot be read, a commit
 * refused for room, an interrupt during a wait or a commit, many threads rolling back at random.
 *
 * <p>{@link org.sluice.api.channel.ChannelFactory#durable()} decides between the two stop behaviours: a
 * durable channel is also restarted on the same directories, and must keep every committed put and forget
 * every committed take and every uncommitted transaction.
 */
public abstract class ChannelContract {
    /** The channel's name in the test agent; refusals must name it. */
    protected static final String NAME = "c1";

    /** Where the channel keeps its files: {@code <dataRoot>/test/c1}, fresh for each test. */
    @TempDir
    protected Path dataRoot;

    private final List<Channel> running = new ArrayList<>();
    private final Map<Channel, ChannelContext> contexts = new IdentityHashMap<>();
    private final Map<Channel, Map<String, String>> settingsOf = new IdentityHashMap<>();

    // ------------------------------------------------------------------------------------- what a channel says

    /** The channel's factory, as the plugin registers it. */
    protected abstract ChannelFactory factory();

    /**
     * Keys every channel of the contract gets, under those a test adds. They must let a transaction put and
     * take 100 events and the channel hold at least 100.
     */
    protected Map<String, String> settings() {
        return Map.of();
    }

    /**
     * Keys that bound the channel to {@code events} events and make a put commit that does not fit fail at
     * once; empty if the channel has no bound. The refusal must name a key whose value here is {@code events}.
     * By default Flume's channel keys: {@code capacity} and {@code transactionCapacity} of {@code events},
     * {@code keep-alive} of 0.
     */
    protected Optional<Map<String, String>> capacity(int events) {
        return flumeCapacityKeys(events, 0);
    }

    /**
     * Keys that limit a transaction to {@code events} puts and {@code events} takes, the channel still holding
     * at least 100; empty if the channel has no such limit. By default Flume's {@code transactionCapacity}.
     */
    protected Optional<Map<String, String>> transactionCapacity(int events) {
        return Optional.of(Map.of("transactionCapacity", Integer.toString(events)));
    }

    /**
     * Keys that bound the channel to {@code events} events and make a put commit that does not fit wait up
     * to {@code seconds} for room before it fails with ChannelFullException; empty if commits never wait. By
     * default Flume's {@code capacity}, {@code transactionCapacity} and {@code keep-alive}.
     */
    protected Optional<Map<String, String>> keepAlive(int events, int seconds) {
        return flumeCapacityKeys(events, seconds);
    }

    /**
     * How long a transaction's first take waits on an empty channel for an event to be committed, with
     * {@link #settings()}; zero if takes never wait. Later takes of the transaction must not wait.
     */
    protected abstract Duration takeWait();

    /**
     * Flume's channel keys for {@link #capacity} and {@link #keepAlive}: {@code capacity} and
     * {@code transactionCapacity} of {@code events}, {@code keep-alive} of {@code keepAliveSeconds}.
     */
    protected static Optional<Map<String, String>> flumeCapacityKeys(int events, int keepAliveSeconds) {
        return Optional.of(Map.of("capacity", Integer.toString(events), "transactionCapacity",
                Integer.toString(events), "keep-alive", Integer.toString(keepAliveSeconds)));
    }

    /** The context the channel is made with; Sluice's own tests use the platform's typed configuration. */
    protected ChannelContext context(String name, Map<String, String> properties) {
        return Contexts.API_ONLY.channel(name, properties, dataRoot);
    }

    /**
     * Checks, once the contract has taken every event out of {@code channel}, that it holds nothing; a
     * channel's test may add its own accounting (bytes, files). The gauge is checked here.
     */
    protected void assertHoldsNothing(Channel channel) {
        assertEquals(0, counterOf(channel).get(ChannelCounter.CHANNEL_SIZE), "ChannelSize of an emptied channel");
    }

    /** Events the many-threads test moves through the channel; a slow channel may ask for fewer. */
    protected int concurrentEvents() {
        return 8000;
    }

    // ------------------------------------------------------------------------------------- the fixture

    /** Makes and starts a channel with {@link #settings()} and then {@code added}. */
    protected final Channel start(Map<String, String> added) throws Exception {
        Map<String, String> properties = new LinkedHashMap<>(settings());
        properties.putAll(added);
        ChannelContext context = context(NAME, properties);
        Channel channel = factory().create(context);
        channel.start();
        running.add(channel);
        contexts.put(channel, context);
        settingsOf.put(channel, added);
        return channel;
    }

    /** Stops a channel the contract started. */
    protected final void stop(Channel channel) {
        running.remove(channel);
        channel.stop();
    }

    /** Stops a channel and starts a new one with the same keys on the same directories. */
    protected final Channel restart(Channel channel) throws Exception {
        stop(channel);
        return start(settingsOf.get(channel));
    }

    /** The counters of a channel's context. */
    protected final ChannelCounter counterOf(Channel channel) {
        return contexts.get(channel).counter();
    }

    protected final boolean durable() {
        return factory().durable();
    }

    @AfterEach
    void stopWhatIsRunning() {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).stop();
        }
        running.clear();
    }

    private Map<String, String> required(Optional<Map<String, String>> limit, String what) {
        assumeTrue(limit.isPresent(), "the channel has no " + what);
        return limit.get();
    }

    /** Everything the channel holds, taken one event per transaction so that any transactionCapacity fits. */
    private static List<String> takeAll(Channel channel) {
        return ChannelTransactions.takeAllBodies(channel, 1);
    }

    private static List<String> takeAllOnOtherThread(Channel channel) throws Exception {
        return OtherThread.call(() -> takeAll(channel));
    }

    // ------------------------------------------------------------------------------------- the transaction

    @Test
    void putAndTakeNeedAnOpenTransaction() throws Exception {
        Channel channel = start(Map.of());
        putBodies(channel, "a");
        assertThrows(IllegalStateException.class, () -> channel.put(event("x")), "no transaction yet");
        assertThrows(IllegalStateException.class, channel::take, "no transaction yet");
        Transaction tx = channel.getTransaction();
        assertThrows(IllegalStateException.class, () -> channel.put(event("x")), "not begun");
        assertThrows(IllegalStateException.class, channel::take, "not begun");
        tx.begin();
        tx.commit();
        assertThrows(IllegalStateException.class, () -> channel.put(event("x")), "committed");
        assertThrows(IllegalStateException.class, channel::take, "committed");
        tx.close();
        assertThrows(IllegalStateException.class, () -> channel.put(event("x")), "closed");
        assertThrows(IllegalStateException.class, channel::take, "closed");
        Transaction rolledBack = channel.getTransaction();
        rolledBack.begin();
        rolledBack.rollback();
        assertThrows(IllegalStateException.class, () -> channel.put(event("x")), "rolled back");
        assertThrows(IllegalStateException.class, channel::take, "rolled back");
        rolledBack.close();

        assertEquals(List.of("a"), takeAll(channel), "none of the refused calls reached the channel");
    }

    @Test
    void aTransactionIsBegunOnceThenCommittedOrRolledBackOnceThenClosed() throws Exception {
        Channel channel = start(Map.of());
        Transaction tx = channel.getTransaction();
        assertThrows(IllegalStateException.class, tx::commit, "commit before begin");
        assertThrows(IllegalStateException.class, tx::rollback, "rollback before begin");
        tx.begin();
        assertThrows(IllegalStateException.class, tx::begin, "begin twice");
        channel.put(event("a"));
        assertThrows(IllegalStateException.class, tx::close, "close of an open transaction");
        // The refused close changed nothing: the transaction is still open and can be committed.
        channel.put(event("b"));
        tx.commit();
        assertThrows(IllegalStateException.class, tx::commit, "commit twice");
        assertThrows(IllegalStateException.class, tx::rollback, "rollback after commit");
        assertThrows(IllegalStateException.class, tx::begin, "begin after commit");
        tx.close();
        tx.close();
        assertThrows(IllegalStateException.class, tx::begin, "begin after close");

        Transaction second = channel.getTransaction();
        second.begin();
        assertEquals("a", body(channel.take()));
        second.rollback();
        assertThrows(IllegalStateException.class, second::commit, "commit after rollback");
        assertThrows(IllegalStateException.class, second::rollback, "rollback twice");
        second.close();

        assertEquals(List.of("a", "b"), takeAll(channel));
    }

    @Test
    void aThreadKeepsItsTransactionUntilItIsClosedAndNoOtherThreadSharesIt() throws Exception {
        Channel channel = start(Map.of());
        Transaction tx = channel.getTransaction();
        assertSame(tx, channel.getTransaction(), "a new transaction");
        assertNotSame(tx, OtherThread.call(channel::getTransaction), "another thread's");
        tx.begin();
        assertSame(tx, channel.getTransaction(), "an open transaction");
        assertNotSame(tx, OtherThread.call(channel::getTransaction), "another thread's, while this one is open");
        tx.commit();
        assertSame(tx, channel.getTransaction(), "a committed transaction not closed yet");
        tx.close();
        assertNotSame(tx, channel.getTransaction(), "after close, a fresh one");
    }

    @Test
    void aTransactionIsUsedOnlyByTheThreadThatBeganIt() throws Exception {
        Channel channel = start(Map.of());
        Transaction tx = channel.getTransaction();
        tx.begin();
        channel.put(event("mine"));
        for (Runnable call : List.<Runnable>of(tx::begin, tx::commit, tx::rollback, tx::close)) {
            assertThrows(IllegalStateException.class, () -> OtherThread.call(() -> {
                call.run();
                return null;
            }));
        }
        // Another thread's put or take goes to its own transaction, and it has none open.
        assertThrows(IllegalStateException.class, () -> OtherThread.call(() -> {
            channel.put(event("theirs"));
            return null;
        }));
        assertThrows(IllegalStateException.class, () -> OtherThread.call(channel::take));
        tx.commit();
        tx.close();

        assertEquals(List.of("mine"), takeAll(channel));
    }

    @Test
    void aNullEventIsRefusedAndTheTransactionGoesOn() throws Exception {
        Channel channel = start(Map.of());
        Transaction tx = channel.getTransaction();
        tx.begin();
        channel.put(event("a"));
        assertThrows(IllegalArgumentException.class, () -> channel.put(null));
        channel.put(event("b"));
        tx.commit();
        tx.close();

        assertEquals(List.of("a", "b"), takeAll(channel));
    }

    // ------------------------------------------------------------------------------------- visibility and order

    @Test
    void putsBecomeVisibleOnlyOnCommit() throws Exception {
        Channel channel = start(Map.of());
        Transaction tx = channel.getTransaction();
        tx.begin();
        for (String body : List.of("a", "b", "c", "d", "e")) {
            channel.put(event(body));
        }
        assertEquals(List.of(), takeAllOnOtherThread(channel), "uncommitted puts are invisible");
        tx.commit();
        tx.close();

        assertEquals(List.of("a", "b", "c", "d", "e"), takeAllOnOtherThread(channel));
    }

    @Test
    void rolledBackPutsAreDiscardedAndTakeNoRoom() throws Exception {
        Optional<Map<String, String>> bounded = capacity(3);
        Channel channel = start(bounded.orElse(Map.of()));
        Transaction tx = channel.getTransaction();
        tx.begin();
        channel.put(event("lost1"));
        channel.put(event("lost2"));
        tx.rollback();
        tx.close();

        assertEquals(List.of(), takeAllOnOtherThread(channel));
        if (bounded.isPresent()) {
            putBodies(channel, "a", "b", "c");
            assertEquals(List.of("a", "b", "c"), takeAll(channel), "the rolled back puts left the room free");
        }
    }

    @Test
    void rolledBackTakesReturnToTheHeadInOrder() throws Exception {
        Channel channel = start(Map.of());
        putBodies(channel, "e0", "e1", "e2", "e3", "e4");

        Transaction tx = channel.getTransaction();
        tx.begin();
        assertEquals("e0", body(channel.take()));
        assertEquals("e1", body(channel.take()));
        assertEquals("e2", body(channel.take()));
        tx.rollback();
        tx.close();
        assertEquals(5, counterOf(channel).get(ChannelCounter.CHANNEL_SIZE), "ChannelSize after the rollback");
        putBodies(channel, "e5");

        assertEquals(List.of("e0", "e1", "e2", "e3", "e4", "e5"), takeAll(channel));
        assertHoldsNothing(channel);
    }

    @Test
    void eventsLeaveInTheOrderTheirPutsCommitted() throws Exception {
        Channel channel = start(Map.of());
        putBodies(channel, "a0", "a1", "a2");
        OtherThread.call(() -> {
            putBodies(channel, "b0", "b1");
            return null;
        });
        putBodies(channel, "a3");
        Transaction open = channel.getTransaction();
        open.begin();
        channel.put(event("late"));
        OtherThread.call(() -> {
            putBodies(channel, "b2");
            return null;
        });
        open.commit();
        open.close();

        assertEquals(List.of("a0", "a1"), takeBodies(channel, 2));
        assertEquals(List.of("a2", "b0", "b1"), OtherThread.call(() -> takeBodies(channel, 3)));
        assertEquals(List.of("a3", "b2", "late"), takeAll(channel), "a commit's place is when it committed");
    }

    @Test
    void aShorterTakeTransactionLeavesTheRestInOrder() throws Exception {
        Channel channel = start(Map.of());
        putBodies(channel, "e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9");
        assertEquals(List.of("e0", "e1", "e2", "e3", "e4"), takeBodies(channel, 5));
        assertEquals(List.of("e5", "e6"), takeBodies(channel, 2));

        assertEquals(3, counterOf(channel).get(ChannelCounter.CHANNEL_SIZE));
        assertEquals(List.of("e7", "e8", "e9"), takeAllOnOtherThread(channel));
    }

    @Test
    void aTransactionMayTakeAndPutTogether() throws Exception {
        Channel channel = start(Map.of());
        putBodies(channel, "a", "b", "c");
        Transaction tx = channel.getTransaction();
        tx.begin();
        assertEquals("a", body(channel.take()));
        assertEquals("b", body(channel.take()));
        channel.put(event("d"));
        tx.commit();
        tx.close();

        assertEquals(2, counterOf(channel).get(ChannelCounter.CHANNEL_SIZE));
        assertEquals(List.of("c", "d"), takeAll(channel));
    }

    @Test
    void headersAndBodiesComeBackUnchanged() throws Exception {
        Channel channel = start(Map.of());
        byte[] everyByte = new byte[256 * 64];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        Map<String, String> headers = new HashMap<>();
        headers.put("host", "w\u00e9b1");
        headers.put("empty", "");
        headers.put("big", "x".repeat(5000));
        headers.put("\u65e5\u672c", "\ud83d\ude00");
        List<Event> sent = List.of(
                EventBuilder.withBody("h\u00e9llo \ud83d\ude00".getBytes(StandardCharsets.UTF_8), headers),
                EventBuilder.withBody(new byte[0], Map.of()),
                EventBuilder.withBody(everyByte, Map.of("binary", "true")));
        putCommitted(channel, sent);
        if (durable()) {
            channel = restart(channel);
        }

        List<Event> got = take(channel, 3);
        assertEquals(3, got.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(sent.get(i).getHeaders(), got.get(i).getHeaders(), "headers of event " + i);
            assertArrayEquals(sent.get(i).getBody(), got.get(i).getBody(), "body of event " + i);
        }
    }

    // ------------------------------------------------------------------------------------- gauges

    @Test
    void publishesItsCapacityAndSizeAndLeavesPutAndTakeCountsToThePlatform() throws Exception {
        Optional<Map<String, String>> bounded = capacity(50);
        Channel channel = start(bounded.orElse(Map.of()));
        putBodies(channel, "a", "b", "c");
        takeBodies(channel, 1);

        ChannelCounter counter = counterOf(channel);
        if (bounded.isPresent()) {
            assertEquals(50, counter.get(ChannelCounter.CHANNEL_CAPACITY));
        }
        assertEquals(2, counter.get(ChannelCounter.CHANNEL_SIZE));
        for (String count : List.of(ChannelCounter.EVENT_PUT_ATTEMPT, ChannelCounter.EVENT_PUT_SUCCESS,
                ChannelCounter.EVENT_TAKE_ATTEMPT, ChannelCounter.EVENT_TAKE_SUCCESS)) {
            assertEquals(0, counter.get(count), count + " is the platform's to count");
        }
    }

    // ------------------------------------------------------------------------------------- capacity

    @Test
    void aFullChannelRefusesTheCommitNamingTheChannelAndKeepsWhatItHolds() throws Exception {
        Map<String, String> bound = required(capacity(3), "capacity");
        Channel channel = start(bound);
        putBodies(channel, "a", "b", "c");

        ChannelFullException full = assertThrows(ChannelFullException.class, () -> putBodies(channel, "d"));

        assertTrue(full.getMessage().contains(NAME), "names the channel: " + full.getMessage());
        assertTrue(bound.entrySet().stream().anyMatch(key -> key.getValue().equals("3")
                && full.getMessage().contains(key.getKey())), "names the key that bounds it: " + full.getMessage());
        assertEquals(3, counterOf(channel).get(ChannelCounter.CHANNEL_SIZE));
        assertEquals(List.of("a"), takeBodies(channel, 1));
        putBodies(channel, "d");
        assertEquals(List.of("b", "c", "d"), takeAll(channel));
    }

    @Test
    void aCommitRefusedForRoomReturnsItsTakesAndDropsItsPuts() throws Exception {
        Channel channel = start(required(capacity(3), "capacity"));
        putBodies(channel, "a", "b", "c");
        Transaction tx = channel.getTransaction();
        tx.begin();
        try {
            assertEquals("a", body(channel.take()));
            channel.put(event("x"));
            channel.put(event("y"));
            assertThrows(ChannelFullException.class, tx::commit, "two puts for one take do not fit");
            tx.rollback();
        } finally {
            tx.close();
        }

        assertEquals(List.of("a", "b", "c"), takeAll(channel));
    }

    @Test
    void eventsTakenByAnOpenTransactionKeepTheirPlace() throws Exception {
        Channel channel = start(required(capacity(2), "capacity"));
        putBodies(channel, "a", "b");
        Transaction tx = channel.getTransaction();
        tx.begin();
        assertEquals("a", body(channel.take()));

        assertThrows(ChannelFullException.class, () -> OtherThread.call(() -> {
            putBodies(channel, "c");
            return null;
        }), "the taken event still counts until its take commits");

        tx.commit();
        tx.close();
        OtherThread.call(() -> {
            putBodies(channel, "c");
            return null;
        });
        assertEquals(List.of("b", "c"), takeAll(channel));
    }

    @Test
    void aTransactionThatTakesFreesItsOwnRoom() throws Exception {
        Channel channel = start(required(capacity(3), "capacity"));
        putBodies(channel, "a", "b");
        Transaction tx = channel.getTransaction();
        tx.begin();
        assertEquals("a", body(channel.take()));
        assertEquals("b", body(channel.take()));
        channel.put(event("c"));
        channel.put(event("d"));
        channel.put(event("e"));
        tx.commit();
        tx.close();

        assertEquals(List.of("c", "d", "e"), takeAll(channel));
    }

    @Test
    void aTransactionPutsAtMostTransactionCapacityEvents() throws Exception {
        Map<String, String> limit = required(transactionCapacity(3), "transactionCapacity");
        Channel channel = start(limit);
        Transaction tx = channel.getTransaction();
        tx.begin();
        ChannelException tooMany;
        try {
            for (String body : List.of("a", "b", "c")) {
                channel.put(event(body));
            }
            // As in Flume, the put beyond the limit fails, not the commit.
            tooMany = assertThrows(ChannelException.class, () -> channel.put(event("d")));
            tx.rollback();
        } finally {
            tx.close();
        }

        assertFalse(tooMany instanceof ChannelFullException, "not a full channel: " + tooMany);
        assertTrue(tooMany.getMessage().contains(NAME), tooMany.getMessage());
        assertTrue(limit.keySet().stream().anyMatch(tooMany.getMessage()::contains), "names the key: "
                + tooMany.getMessage());
        assertTrue(tooMany.getMessage().contains("3"), "says the limit: " + tooMany.getMessage());
        assertEquals(List.of(), takeAllOnOtherThread(channel), "the failed transaction put nothing");
        putBodies(channel, "a", "b", "c");
        assertEquals(List.of("a", "b", "c"), takeAll(channel));
    }

    @Test
    void aTransactionTakesAtMostTransactionCapacityEvents() throws Exception {
        Channel channel = start(required(transactionCapacity(3), "transactionCapacity"));
        putBodies(channel, "a", "b", "c");
        putBodies(channel, "d");

        Transaction tx = channel.getTransaction();
        tx.begin();
        for (int i = 0; i < 3; i++) {
            channel.take();
        }
        assertThrows(ChannelException.class, channel::take);
        tx.rollback();
        tx.close();

        assertEquals(List.of("a", "b", "c"), takeBodies(channel, 3));
        assertEquals(List.of("d"), takeBodies(channel, 3));
    }

    // ------------------------------------------------------------------------------------- waiting

    @Test
    void onlyATransactionsFirstTakeWaitsAndNoLongerThanItsTakeWait() throws Exception {
        Channel channel = start(Map.of());
        long waitMillis = takeWait().toMillis();
        long start = System.nanoTime();
        assertEquals(List.of(), takeBodies(channel, 10));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waited >= waitMillis * 8 / 10 && waited < waitMillis + 1000,
                "an empty take waited " + waited + " ms, its take wait is " + waitMillis + " ms");

        putBodies(channel, "a");
        Transaction tx = channel.getTransaction();
        tx.begin();
        assertEquals("a", body(channel.take()));
        long second = System.nanoTime();
        assertNull(channel.take());
        long secondWaited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - second);
        tx.commit();
        tx.close();
        assertTrue(secondWaited < Math.max(250, waitMillis / 2), "a later take waited " + secondWaited + " ms");
    }

    @Test
    void aWaitingTakeReceivesAnEventCommittedMeanwhile() throws Exception {
        assumeTrue(!takeWait().isZero(), "the channel's takes do not wait");
        Channel channel = start(Map.of());
        // The take's wait is short: on a busy machine it may end before the put commits. Such a round proves
        // nothing either way, and is tried again.
        for (int round = 0; round < 5; round++) {
            Background<List<String>> sink = Background.start("waiting-taker", () -> takeBodies(channel, 5));
            sink.awaitBlocked();
            putBodies(channel, "late-" + round);
            List<String> taken = sink.result(Duration.ofSeconds(10));
            if (!taken.isEmpty()) {
                assertEquals(List.of("late-" + round), taken, "the waiting take got the event, and only it");
                return;
            }
            assertEquals(List.of("late-" + round), takeAll(channel));
        }
        fail("in five rounds no put committed while the take still waited");
    }

    @Test
    void stoppingWakesATakeThatWaits() throws Exception {
        assumeTrue(!takeWait().isZero(), "the channel's takes do not wait");
        Channel channel = start(Map.of());
        Background<List<String>> sink = Background.start("waiting-taker", () -> {
            try {
                return takeBodies(channel, 5);
            } catch (ChannelException refused) {
                return List.of("refused");
            }
        });
        sink.awaitBlocked();
        long stopped = System.nanoTime();
        stop(channel);

        List<String> taken = sink.result(Duration.ofSeconds(10));
        long woken = TimeUnit.NANOSECONDS.toMillis(sink.endedNanos() - stopped);
        assertTrue(taken.isEmpty() || taken.equals(List.of("refused")), "nothing to take: " + taken);
        assertTrue(woken < Math.max(300, takeWait().toMillis() * 6 / 10), "the take ended " + woken
                + " ms after stop");
    }

    @Test
    void anInterruptEndsAWaitingTakeAtOnceAndIsKept() throws Exception {
        assumeTrue(!takeWait().isZero(), "the channel's takes do not wait");
        Channel channel = start(Map.of());
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Background<List<String>> sink = Background.start("interrupted-taker", () -> {
            try {
                return takeBodies(channel, 5);
            } finally {
                stillInterrupted.set(Thread.interrupted());
            }
        });
        sink.awaitBlocked();
        long interrupted = System.nanoTime();
        sink.interrupt();

        assertEquals(List.of(), sink.result(Duration.ofSeconds(10)));
        long ended = TimeUnit.NANOSECONDS.toMillis(sink.endedNanos() - interrupted);
        assertTrue(ended < Math.max(300, takeWait().toMillis() * 6 / 10), "ended " + ended + " ms after the "
                + "interrupt");
        assertTrue(stillInterrupted.get(), "the take kept the thread's interrupt for its caller");

        putBodies(channel, "after");
        assertEquals(List.of("after"), takeAll(channel), "the channel works on");
    }

    @Test
    void aCommitOnAnInterruptedThreadIsAllOrNothingAndTheChannelWorksOn() throws Exception {
        Channel interrupted = start(Map.of());
        putBodies(interrupted, "a", "b");
        Boolean committed = OtherThread.call(() -> {
            Thread.currentThread().interrupt();
            Transaction tx = interrupted.getTransaction();
            tx.begin();
            try {
                assertEquals("a", body(interrupted.take()));
                interrupted.put(event("c"));
                tx.commit();
                return true;
            } catch (ChannelException e) {
                tx.rollback();
                return false;
            } finally {
                tx.close();
                assertTrue(Thread.interrupted(), "the channel kept the thread's interrupt");
            }
        });
        List<String> expected = committed ? List.of("b", "c", "d") : List.of("a", "b", "d");
        putBodies(interrupted, "d");
        Channel channel = durable() ? restart(interrupted) : interrupted;

        assertEquals(expected, takeAll(channel), committed ? "the commit happened" : "the commit failed");
    }

    // ------------------------------------------------------------------------------------- keep-alive

    @Test
    void aPutCommitWaitsUpToKeepAliveForRoomThenFails() throws Exception {
        Channel channel = start(required(keepAlive(1, 1), "keep-alive"));
        putBodies(channel, "a");

        long start = System.nanoTime();
        assertThrows(ChannelFullException.class, () -> putBodies(channel, "b"));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(waited >= 900, "waited " + waited + " ms for a keep-alive of 1 s");
        assertEquals(List.of("a"), takeAll(channel));
    }

    /** Holding "a" and room for no more, a put of "b" on another thread, waiting for room. */
    private Background<Void> putWaitingForRoom(Channel channel, AtomicBoolean interruptKept) {
        putBodies(channel, "a");
        Background<Void> source = Background.start("waiting-putter", () -> {
            try {
                putBodies(channel, "b");
                return null;
            } finally {
                interruptKept.set(Thread.interrupted());
            }
        });
        source.awaitBlocked();
        assertFalse(source.isDone(), "the put commit waits for room");
        return source;
    }

    @Test
    void aWaitingPutCommitSucceedsWhenATakeFreesRoom() throws Exception {
        Channel channel = start(required(keepAlive(1, 10), "keep-alive"));
        Background<Void> source = putWaitingForRoom(channel, new AtomicBoolean());
        assertEquals(List.of("a"), takeBodies(channel, 1));

        source.result(Duration.ofSeconds(10));
        assertEquals(List.of("b"), takeAll(channel));
    }

    @Test
    void stoppingFailsAPutCommitThatWaitsForRoom() throws Exception {
        Channel channel = start(required(keepAlive(1, 10), "keep-alive"));
        Background<Void> source = putWaitingForRoom(channel, new AtomicBoolean());
        long stopped = System.nanoTime();
        stop(channel);

        assertThrows(ChannelException.class, () -> source.result(Duration.ofSeconds(10)));
        long woken = TimeUnit.NANOSECONDS.toMillis(source.endedNanos() - stopped);
        assertTrue(woken < 1000, "the put ended " + woken + " ms after stop");
        assertEquals(List.of("a"), afterStop(channel), "the refused put is not in the channel");
    }

    @Test
    void anInterruptFailsAPutCommitThatWaitsForRoomAndIsKept() throws Exception {
        Channel channel = start(required(keepAlive(1, 10), "keep-alive"));
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Background<Void> source = putWaitingForRoom(channel, stillInterrupted);
        source.interrupt();

        assertThrows(ChannelException.class, () -> source.result(Duration.ofSeconds(5)));
        assertTrue(stillInterrupted.get(), "the commit kept the thread's interrupt for its caller");
        assertEquals(List.of("a"), takeAll(channel));
    }

    // ------------------------------------------------------------------------------------- stop

    @Test
    void aStoppedChannelRefusesPutsNamingItself() throws Exception {
        Channel channel = start(Map.of());
        putBodies(channel, "a");
        stop(channel);

        ChannelException refused = assertThrows(ChannelException.class, () -> putBodies(channel, "late"));

        String message = refused.getMessage();
        assertTrue(message.contains(NAME) && (message.contains("stopped") || message.contains("not running")),
                "says the channel is stopped: " + message);
        assertEquals(List.of("a"), afterStop(channel), "what it held is kept, and nothing more");
    }

    @Test
    void aStoppedChannelThatIsNotDurableHandsOutWhatItHoldsWithoutWaiting() throws Exception {
        assumeFalse(durable(), "a durable channel keeps its events for its successor");
        Channel channel = start(Map.of());
        putBodies(channel, "a", "b");
        stop(channel);

        long start = System.nanoTime();
        assertEquals(List.of("a", "b"), takeBodies(channel, 10));
        assertEquals(List.of(), takeBodies(channel, 10));
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(300), "a stopped channel waited");
    }

    @Test
    void aStoppedDurableChannelRefusesTakes() throws Exception {
        assumeTrue(durable(), "a channel that is not durable hands its events out after stop");
        Channel channel = start(Map.of());
        putBodies(channel, "a");
        stop(channel);

        assertThrows(ChannelException.class, () -> takeBodies(channel, 1));
    }

    @Test
    void aDurableChannelKeepsCommittedPutsAcrossARestartAndDropsUncommittedOnes() throws Exception {
        assumeTrue(durable(), "the channel is not durable");
        Channel channel = start(Map.of());
        putBodies(channel, "a", "b", "c");
        Transaction open = channel.getTransaction();
        open.begin();
        channel.put(event("never committed"));
        // The channel stops under the open transaction, as a crash would leave it.
        channel = restart(channel);

        assertEquals(List.of("a", "b", "c"), takeAll(channel));
    }

    @Test
    void aDurableChannelForgetsCommittedTakesAcrossRestartsAndKeepsTheOrder() throws Exception {
        assumeTrue(durable(), "the channel is not durable");
        Channel channel = start(Map.of());
        putBodies(channel, "a", "b", "c", "d");
        assertEquals(List.of("a", "b"), takeBodies(channel, 2));
        putBodies(channel, "e");
        channel = restart(channel);
        assertEquals(3, counterOf(channel).get(ChannelCounter.CHANNEL_SIZE), "ChannelSize after a restart");
        assertEquals(List.of("c"), takeBodies(channel, 1));
        Transaction open = channel.getTransaction();
        open.begin();
        assertEquals("d", body(channel.take()));
        // Stopped under an open take: the event is still there after the restart.
        Channel running = channel;
        OtherThread.call(() -> {
            putBodies(running, "f");
            return null;
        });
        channel = restart(channel);
        assertEquals(List.of("d", "e", "f"), takeAll(channel));
        channel = restart(channel);
        assertEquals(List.of(), takeAll(channel));
    }

    /** What the stopped channel holds: handed out by it, or by its successor if it is durable. */
    private List<String> afterStop(Channel stopped) throws Exception {
        if (!durable()) {
            return takeAll(stopped);
        }
        return takeAll(start(settingsOf.get(stopped)));
    }

    // ------------------------------------------------------------------------------------- injected failures

    @Test
    void anEventThatCannotBeReadFailsOnlyItsOwnTransaction() throws Exception {
        Channel channel = start(Map.of());
        // Read never, once, twice...: the failure lands at the put, at the commit, or nowhere.
        for (int readsAllowed = 0; readsAllowed < 4; readsAllowed++) {
            putBodies(channel, "before");
            Transaction tx = channel.getTransaction();
            tx.begin();
            boolean committed;
            UnreadableEvent poisoned = new UnreadableEvent("poisoned", readsAllowed);
            try {
                channel.put(event("a"));
                channel.put(poisoned);
                channel.put(event("b"));
                tx.commit();
                committed = true;
            } catch (RuntimeException e) {
                assertTrue(causedBy(e, UnreadableEvent.ReadFailure.class) || e instanceof ChannelException,
                        "the failure is the event's or the channel's: " + e);
                tx.rollback();
                committed = false;
            } finally {
                tx.close();
                poisoned.heal();
            }
            putBodies(channel, "after");

            List<Event> held = take(channel, 100);
            String reads = "with " + readsAllowed + " reads allowed: ";
            if (committed) {
                assertEquals(5, held.size(), reads + "the committed transaction is whole");
                assertEquals(List.of("before", "a", "poisoned", "b", "after"), bodiesOf(held), reads);
            } else {
                assertEquals(List.of("before", "after"), bodiesOf(held), reads + "nothing of the failed one");
            }
        }
        assertHoldsNothing(channel);
    }

    private static List<String> bodiesOf(List<Event> events) {
        return events.stream().map(e -> body(e)).toList();
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void manyProducersAndConsumersRollingBackAtRandomNeitherLoseNorDuplicate() throws Exception {
        int producers = 4;
        int perProducer = Math.max(50, concurrentEvents() / producers / 50 * 50);
        Channel channel = start(Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(producers * 2);
        try {
            List<Future<?>> producing = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                producing.add(pool.submit(() -> {
                    for (int i = 0; i < perProducer; i += 50) {
                        List<Event> batch = new ArrayList<>();
                        for (int j = i; j < i + 50; j++) {
                            batch.add(event(producer + ":" + j));
                        }
                        putRetryingWhileFull(channel, batch);
                    }
                    return null;
                }));
            }
            List<Future<Map<String, Integer>>> consuming = new ArrayList<>();
            for (int c = 0; c < producers; c++) {
                int batchSize = 1 + c * 33;
                consuming.add(pool.submit(() -> consume(channel, batchSize, producing)));
            }
            Map<String, Integer> seen = new ConcurrentHashMap<>();
            for (Future<Map<String, Integer>> consumer : consuming) {
                consumer.get(120, TimeUnit.SECONDS).forEach((k, v) -> seen.merge(k, v, Integer::sum));
            }
            for (Future<?> producer : producing) {
                producer.get();
            }

            assertEquals(producers * perProducer, seen.size(), "every event arrived");
            assertTrue(seen.values().stream().allMatch(n -> n == 1), "no event arrived twice");
            assertHoldsNothing(channel);
        } finally {
            pool.shutdownNow();
        }
    }

    /** As a source does: a full channel is retried after a short pause, the batch is never dropped. */
    private static void putRetryingWhileFull(Channel channel, List<Event> batch) {
        while (true) {
            try {
                putCommitted(channel, batch);
                return;
            } catch (ChannelFullException full) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    /**
     * Takes in transactions of {@code batchSize}, rolling back every seventh, until the producers are done and
     * the channel is empty.
     */
    private static Map<String, Integer> consume(Channel channel, int batchSize, List<Future<?>> producers) {
        Map<String, Integer> seen = new HashMap<>();
        int transactions = 0;
        while (true) {
            boolean producersDone = producers.stream().allMatch(Future::isDone);
            Transaction tx = channel.getTransaction();
            tx.begin();
            List<String> taken = new ArrayList<>();
            try {
                for (Event e; taken.size() < batchSize && (e = channel.take()) != null; ) {
                    taken.add(body(e));
                }
                if (++transactions % 7 == 0) {
                    tx.rollback();
                } else {
                    tx.commit();
                    taken.forEach(b -> seen.merge(b, 1, Integer::sum));
                }
            } catch (RuntimeException e) {
                tx.rollback();
                throw e;
            } finally {
                tx.close();
            }
            if (taken.isEmpty() && producersDone) {
                return seen;
            }
        }
    }
}
