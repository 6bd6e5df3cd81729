package org.sluice.platform.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.platform.runtime.TestPlugins.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.Transaction;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.format.EventSerializer;
import org.sluice.api.format.EventSerializerFactory;
import org.sluice.api.interceptor.HeaderValueSerializerFactory;
import org.sluice.api.interceptor.Interceptor;
import org.sluice.api.interceptor.InterceptorFactory;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.sink.SinkFactory;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

import java.nio.file.Path;

/**
 * Named parts a component looks up through its context ({@code ComponentContext.lookup}): while no bundle provides
 * one the component waits, naming the key; it starts when one comes; it is stopped before its provider goes and
 * made again from the next one, without losing an event.
 */
class NamedPartsTest {
    @TempDir
    Path data;

    private RuntimeEngine engine;
    private final TestPlugins.QueueChannelFactory channels = new TestPlugins.QueueChannelFactory();
    private final FormattingSinkFactory sinks = new FormattingSinkFactory();

    @BeforeEach
    void setUp() {
        TestPlugins.NEXT_NUMBER.set(0);
        engine = new RuntimeEngine(new TestPlugins.MapMetrics(), data, 5_000L, 10L, 50L);
        engine.providerAdded(ComponentKind.CHANNEL, TestPlugins.provider(channels, "queue"));
        engine.providerAdded(ComponentKind.SOURCE, TestPlugins.provider(new TestPlugins.NumberSourceFactory(),
                "numbers"));
        engine.providerAdded(ComponentKind.SINK, TestPlugins.provider(sinks, "formatted"));
        engine.providerAdded(ComponentKind.CHANNEL_SELECTOR,
                TestPlugins.provider(new TestPlugins.ReplicatingFactory(), "replicating"));
        engine.providerAdded(ComponentKind.INTERCEPTOR, TestPlugins.provider(new HeaderSettingFactory(), "header"));
    }

    @AfterEach
    void tearDown() {
        engine.shutdown();
    }

    private void configure(ComponentKind kind, String name, String... keyValues) {
        TestPlugins.configure(engine, "a1", kind, name, keyValues);
    }

    private ComponentStatus status(String name) {
        return TestPlugins.status(engine, "a1", name);
    }

    private static Provider serializerProvider(String prefix) {
        EventSerializerFactory factory = (owner, keyPrefix, out) -> new PrefixingSerializer(prefix, out);
        return TestPlugins.provider(factory, "com.example.Prefixing$Builder");
    }

    @Test
    void aSinkWaitsForItsSerializerNamingTheKeyAndRunsWhenOneIsInstalled() throws Exception {
        configure(ComponentKind.CHANNEL, "c1", "type", "queue", "capacity", "10000");
        configure(ComponentKind.SOURCE, "r1", "type", "numbers", "channels", "c1", "total", "300");
        configure(ComponentKind.SINK, "k1", "type", "formatted", "channel", "c1",
                "serializer", "com.example.Prefixing$Builder");
        await("sink waiting", () -> status("k1") != null && status("k1").state() == ComponentState.WAITING);
        String reason = status("k1").reason();
        assertTrue(reason.contains("'serializer'") && reason.contains("com.example.Prefixing$Builder"), reason);
        assertEquals(0, sinks.created, "a sink was made without its serializer");

        engine.partAdded(EventSerializerFactory.class, serializerProvider("v1:"));
        await("300 written", () -> sinks.written.size() >= 300);
        assertEquals(ComponentState.RUNNING, status("k1").state());
        assertTrue(sinks.written.stream().allMatch(line -> line.startsWith("v1:")), sinks.written.toString());
    }

    @Test
    void aSinkIsStoppedBeforeItsSerializersBundleGoesAndMadeAgainFromItsUpdateWithoutLoss() throws Exception {
        Provider v1 = serializerProvider("v1:");
        engine.partAdded(EventSerializerFactory.class, v1);
        configure(ComponentKind.CHANNEL, "c1", "type", "queue", "capacity", "100000");
        configure(ComponentKind.SINK, "k1", "type", "formatted", "channel", "c1",
                "serializer", "com.example.Prefixing$Builder");
        configure(ComponentKind.SOURCE, "r1", "type", "numbers", "channels", "c1", "total", "20000", "batch", "5");
        await("some written", () -> sinks.written.size() > 100);

        // An update: the old service goes (synchronously: nothing of it runs afterwards), the new one comes.
        engine.partRemoved(EventSerializerFactory.class, v1.serviceId());
        int writtenWhileAway = sinks.written.size();
        engine.reconcileNow();
        assertEquals(ComponentState.WAITING, status("k1").state());
        assertEquals(writtenWhileAway, sinks.written.size(), "a sink without its serializer wrote");

        engine.partAdded(EventSerializerFactory.class, serializerProvider("v2:"));
        await("sink running again", () -> status("k1").state() == ComponentState.RUNNING);
        await("all 20000 written", () -> numbers(sinks.written).size() >= 20000);
        Set<Long> seen = numbers(sinks.written);
        for (long n = 0; n < 20000; n++) {
            assertTrue(seen.contains(n), "event " + n + " was lost");
        }
        assertTrue(sinks.written.get(sinks.written.size() - 1).startsWith("v2:"), "not written by the update");
    }

    @Test
    void aSourceWaitsForTheSerializerOfItsInterceptorAndStopsWhenItGoes() throws Exception {
        configure(ComponentKind.CHANNEL, "c1", "type", "queue", "capacity", "10000");
        configure(ComponentKind.SOURCE, "r1", "type", "numbers", "channels", "c1", "total", "100",
                "interceptors", "i1", "interceptors.i1.type", "header",
                "interceptors.i1.serializers.s1.type", "com.example.Upper");
        await("source waiting", () -> status("r1") != null && status("r1").state() == ComponentState.WAITING);
        String reason = status("r1").reason();
        assertTrue(reason.contains("'r1.interceptors.i1'") && reason.contains("'serializers.s1.type'")
                && reason.contains("com.example.Upper"), reason);

        HeaderValueSerializerFactory upper = (owner, keyPrefix) -> value -> value.toUpperCase(Locale.ROOT);
        Provider provider = TestPlugins.provider(upper, "com.example.Upper");
        engine.partAdded(HeaderValueSerializerFactory.class, provider);
        await("source running", () -> status("r1").state() == ComponentState.RUNNING);

        engine.partRemoved(HeaderValueSerializerFactory.class, provider.serviceId());
        engine.reconcileNow();
        assertEquals(ComponentState.WAITING, status("r1").state());
    }

    private static Set<Long> numbers(List<String> lines) {
        Set<Long> seen = new TreeSet<>();
        lines.forEach(line -> seen.add(Long.parseLong(line.substring(line.indexOf(':') + 1))));
        return seen;
    }

    /** Writes {@code <prefix><body>} and a newline per event. */
    private record PrefixingSerializer(String prefix, OutputStream out) implements EventSerializer {
        @Override
        public void afterCreate() {
        }

        @Override
        public void afterReopen() {
        }

        @Override
        public void write(Event event) throws IOException {
            out.write(prefix.getBytes(StandardCharsets.UTF_8));
            out.write(event.getBody());
            out.write('\n');
        }

        @Override
        public void flush() {
        }

        @Override
        public void beforeClose() {
        }

        @Override
        public boolean supportsReopen() {
            return false;
        }
    }

    /** A sink that writes each batch through the serializer its {@code serializer} key names, then commits. */
    static final class FormattingSinkFactory implements SinkFactory {
        final List<String> written = new CopyOnWriteArrayList<>();
        volatile int created;

        @Override
        public Sink create(SinkContext context) throws ConfigurationException {
            EventSerializerFactory serializers = context.lookup(EventSerializerFactory.class,
                    context.properties().get("serializer"), "serializer");
            created++;
            return () -> {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                EventSerializer serializer;
                try {
                    serializer = serializers.create(context, "serializer.", bytes);
                } catch (ConfigurationException e) {
                    throw new IllegalStateException(e);
                }
                Channel channel = context.channel();
                Transaction tx = channel.getTransaction();
                tx.begin();
                try {
                    int taken = 0;
                    for (Event event; taken < 20 && (event = channel.take()) != null; taken++) {
                        serializer.write(event);
                    }
                    serializer.flush();
                    tx.commit();
                    String text = bytes.toString(StandardCharsets.UTF_8);
                    if (!text.isEmpty()) {
                        written.addAll(List.of(text.split("\n")));
                    }
                    return taken == 0 ? Sink.Status.BACKOFF : Sink.Status.READY;
                } catch (IOException | RuntimeException e) {
                    tx.rollback();
                    throw new IllegalStateException(e);
                } finally {
                    tx.close();
                }
            };
        }
    }

    /** An interceptor that sets header {@code h} through the serializer {@code serializers.s1.type} names. */
    static final class HeaderSettingFactory implements InterceptorFactory {
        @Override
        public Interceptor create(ComponentContext context) throws ConfigurationException {
            var serializer = context.lookup(HeaderValueSerializerFactory.class,
                    context.properties().get("serializers.s1.type"), "serializers.s1.type")
                    .create(context, "serializers.s1.");
            return new Interceptor() {
                @Override
                public Event intercept(Event event) {
                    event.getHeaders().put("h", serializer.serialize(new String(event.getBody(),
                            StandardCharsets.UTF_8)));
                    return event;
                }

                @Override
                public void start() {
                }

                @Override
                public void stop() {
                }
            };
        }
    }
}
