package org.sluice.source.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

/**
 * A JMS provider's class loader is closed only once nothing made through it still runs. Artemis's client, loaded from
 * plugins.d as a user supplies it, keeps Netty and pool threads after its connections closed; a loader closed under
 * them fails their next class load (a NoClassDefFoundError on a provider thread, as once in CI). Here sources that
 * share one loader start, stop and restart under a steady stream of messages, the bundle stops and starts again, and
 * a jar is replaced on disk; no provider thread may outlive its loader's close, and every message arrives exactly once.
 */
class ProviderLoaderLifecycleTest {
    private static final String QUEUE = "load";

    @TempDir
    Path temp;

    private final RecordingChannelProcessor channels = new RecordingChannelProcessor();
    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final Set<ProviderClassLoader> loaders = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private Thread.UncaughtExceptionHandler previousHandler;
    private EmbeddedBroker broker;
    private Path home;

    @BeforeEach
    void start() throws Exception {
        previousHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(
                new AssertionError("uncaught on thread " + thread.getName(), e)));
        broker = EmbeddedBroker.start(Files.createDirectories(temp.resolve("broker")));
        home = temp.resolve("home");
        EmbeddedBroker.installClientJars(home);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            for (int i = closing.size() - 1; i >= 0; i--) {
                closing.get(i).close();
            }
            broker.close();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previousHandler);
        }
    }

    /** A bundle activation: the factory whose deactivation is the jms bundle stopping. */
    private JmsSourceFactory activate() {
        JmsSourceFactory factory = new JmsSourceFactory().withDefaults(ProviderClasspath.Defaults.of(home, null));
        closing.add(factory::deactivate);
        return factory;
    }

    private JmsSource source(JmsSourceFactory factory, String name) throws Exception {
        JmsSource source = (JmsSource) factory.create(TestContexts.source(name,
                broker.sourceKeys(QUEUE, "batchSize", "50", "pollTimeout", "20"), channels, temp.resolve("data")));
        source.start();
        closing.add(source::stop);
        loaders.add((ProviderClassLoader) source.providerLoader());
        return source;
    }

    /** Polls the sources in turn, as their runners would, until the channels hold at least {@code count} events. */
    private void pollUntil(int count, JmsSource... sources) {
        Awaitility.await("at least " + count + " events").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(1)).until(() -> {
                    for (JmsSource source : sources) {
                        source.process();
                    }
                    return channels.accepted().size() >= count;
                });
    }

    /** The loader is still open, or none of its threads runs: the invariant this class is about. */
    private static void assertNotClosedUnderItsThreads(ProviderClassLoader loader, String when) {
        boolean closed = loader.isClosed();
        List<String> running = ProviderLoaders.threadsOf(loader).stream().map(Thread::getName).toList();
        assertFalse(closed && !running.isEmpty(), when + ": the provider's loader was closed while its threads "
                + running + " still ran");
    }

    /** Sends numbered messages in transactions of 50 until stopped, never more than 1,000 ahead of the channels. */
    private final class Producer extends Thread {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger sent = new AtomicInteger();

        Producer() {
            super("test-producer");
        }

        @Override
        public void run() {
            try {
                while (running.get()) {
                    if (sent.get() - channels.accepted().size() >= 1_000) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                        continue;
                    }
                    String[] texts = new String[50];
                    for (int i = 0; i < texts.length; i++) {
                        texts[i] = Integer.toString(sent.get() + i);
                    }
                    broker.sendTexts(QUEUE, texts);
                    sent.addAndGet(texts.length);
                }
            } catch (Exception e) {
                uncaught.add(e);
            }
        }

        int finish() throws InterruptedException {
            running.set(false);
            join();
            return sent.get();
        }
    }

    @Test
    void sourcesSharingALoaderStopAndRestartAndTheBundleStopsWithoutClosingItUnderItsThreads() throws Exception {
        Producer producer = new Producer();
        producer.start();
        int sent = 0;
        for (int round = 0; round < 2; round++) {
            JmsSourceFactory factory = activate();
            JmsSource first = source(factory, "r1");
            JmsSource second = source(factory, "r2");
            ProviderClassLoader loader = (ProviderClassLoader) first.providerLoader();
            assertSame(loader, second.providerLoader(), "sources naming the same jars share one loader");
            pollUntil(channels.accepted().size() + 300, first, second);

            // A source reloaded while the other one runs: same loader, nothing closed.
            first.stop();
            assertFalse(loader.isClosed(), "another source still holds the loader");
            first = source(factory, "r1");
            assertSame(loader, first.providerLoader(), "a restarted source finds the loader it had");
            pollUntil(channels.accepted().size() + 300, first, second);
            if (round == 1) {
                sent = producer.finish();
                pollUntil(sent, first, second);
            }

            // The bundle stops: its sources first, then the factory. Artemis's Netty event loop and global pools of
            // this loader still run now; the loader must wait for them.
            first.stop();
            second.stop();
            assertNotClosedUnderItsThreads(loader, "sources stopped");
            factory.deactivate();
            assertNotClosedUnderItsThreads(loader, "bundle stopped");
        }

        assertEveryMessageOnce(sent);
        assertEquals(2, loaders.size(), "a loader per bundle activation");
        awaitClosedAfterTheirThreads();
    }

    @Test
    void aJarReplacedOnDiskRetiresTheOldLoaderOnceItsSourceStopped() throws Exception {
        JmsSourceFactory factory = activate();
        JmsSource old = source(factory, "r1");
        broker.sendTexts(QUEUE, "0", "1");
        pollUntil(2, old);

        Path jar;
        try (Stream<Path> jars = Files.list(home.resolve("plugins.d/artemis/libext"))) {
            jar = jars.filter(path -> path.getFileName().toString().startsWith("artemis-core-client")).findFirst()
                    .orElseThrow();
        }
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        JmsSource renewed = source(factory, "r2");
        ProviderClassLoader oldLoader = (ProviderClassLoader) old.providerLoader();
        assertNotSame(oldLoader, renewed.providerLoader(), "a changed jar makes a new loader at the next start");
        broker.sendTexts(QUEUE, "2", "3");
        pollUntil(4, old, renewed);
        assertFalse(oldLoader.isClosed(), "its source still runs");

        old.stop();
        assertNotClosedUnderItsThreads(oldLoader, "its source stopped");
        Awaitility.await("the old loader closed").atMost(Duration.ofSeconds(30)).until(oldLoader::isClosed);
        assertNotClosedUnderItsThreads(oldLoader, "closed");
        broker.sendTexts(QUEUE, "4", "5");
        pollUntil(6, renewed);
        assertFalse(((ProviderClassLoader) renewed.providerLoader()).isClosed());
        renewed.stop();
        factory.deactivate();

        assertEveryMessageOnce(6);
        awaitClosedAfterTheirThreads();
    }

    private void assertEveryMessageOnce(int sent) {
        Map<Integer, Integer> times = new TreeMap<>();
        channels.accepted().forEach(event -> times.merge(
                Integer.parseInt(new String(event.getBody(), StandardCharsets.UTF_8)), 1, Integer::sum));
        assertEquals(sent, channels.accepted().size(), "as many events as messages sent");
        for (int i = 0; i < sent; i++) {
            assertEquals(1, times.getOrDefault(i, 0), "message " + i + " arrived once");
        }
    }

    /** Every loader closes once its threads ended, and no provider thread ever failed. */
    private void awaitClosedAfterTheirThreads() {
        for (ProviderClassLoader loader : loaders) {
            Awaitility.await("the provider's loader closed").atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        assertNotClosedUnderItsThreads(loader, "after the bundle stopped");
                        return loader.isClosed();
                    });
        }
        assertEquals(List.of(), uncaught);
    }
}
