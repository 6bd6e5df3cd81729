package org.sluice.platform.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.channel.Transaction;
import org.sluice.api.event.Event;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.sink.SinkFactory;
import org.sluice.api.testkit.TestChannel;

/**
 * The avro client's part: lines become events in batches of the sink's size, each batch delivered before the next
 * is read, every event carrying exactly the header file's headers, and the first failed delivery ending the run.
 */
class AvroClientTest {
    @TempDir
    Path directory;

    /** What the sink delivered, batch by batch; it fails from the {@code failFrom}-th batch on. */
    private final List<List<Event>> batches = new CopyOnWriteArrayList<>();
    private int failFrom = Integer.MAX_VALUE;

    /** Takes up to batch-size events per call, as the avro sink does, and "delivers" them to {@link #batches}. */
    private final class DeliveringSink implements Sink {
        private final Channel channel;
        private final int batchSize;

        DeliveringSink(SinkContext context) {
            this.channel = context.channel();
            this.batchSize = Integer.parseInt(context.properties().getOrDefault("batch-size", "100"));
        }

        @Override
        public Status process() throws EventDeliveryException {
            Transaction transaction = channel.getTransaction();
            transaction.begin();
            try {
                List<Event> batch = new ArrayList<>();
                for (Event event; batch.size() < batchSize && (event = channel.take()) != null; ) {
                    batch.add(event);
                }
                if (batch.isEmpty()) {
                    transaction.commit();
                    return Status.BACKOFF;
                }
                if (batches.size() >= failFrom) {
                    throw new EventDeliveryException("the peer is down");
                }
                batches.add(batch);
                transaction.commit();
                return Status.READY;
            } catch (EventDeliveryException e) {
                transaction.rollback();
                throw e;
            } finally {
                transaction.close();
            }
        }
    }

    private AvroClientCommand.Plugins plugins() {
        SinkFactory sinks = DeliveringSink::new;
        ChannelFactory channels = context -> new TestChannel(1000);
        return new AvroClientCommand.Plugins() {
            @Override
            @SuppressWarnings("unchecked")
            public <F> F factory(Class<F> family, String type) {
                if (family == SinkFactory.class && type.equals("avro")) {
                    return (F) sinks;
                }
                return family == ChannelFactory.class && type.equals("memory") ? (F) channels : null;
            }
        };
    }

    private record Run(int status, String messages) {
    }

    private Run run(Map<String, String> properties, String stdin) throws Exception {
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        AvroClientCommand command = new AvroClientCommand(new ByteArrayInputStream(stdin.getBytes(
                StandardCharsets.UTF_8)), new PrintStream(messages, true, StandardCharsets.UTF_8));
        int status = command.run(AvroClientSettings.read(properties::get), plugins());
        return new Run(status, messages.toString(StandardCharsets.UTF_8));
    }

    private static List<String> bodies(List<Event> batch) {
        return batch.stream().map(event -> new String(event.getBody(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void standardInputGoesInBatchesOfFiveAsFlumesClientSendsThem() throws Exception {
        Run run = run(Map.of(AvroClientSettings.HOST, "localhost", AvroClientSettings.PORT, "41414"),
                "one\ntwo\r\nthree\n\nfive\nsix\nseven");

        assertEquals(0, run.status(), run.messages());
        assertEquals(List.of(List.of("one", "two", "three", "", "five"), List.of("six", "seven")),
                batches.stream().map(AvroClientTest::bodies).toList());
        assertTrue(run.messages().contains("sent 7 events to localhost:41414"), run.messages());
    }

    @Test
    void everyEventCarriesExactlyTheHeaderFilesHeaders() throws Exception {
        Path headers = Files.writeString(directory.resolve("headers.properties"), "host=web1\ndc : east\n");
        Path file = Files.writeString(directory.resolve("log.10"), "a\nb\n");

        Run run = run(Map.of(AvroClientSettings.HOST, "localhost", AvroClientSettings.PORT, "41414",
                AvroClientSettings.FILE, file.toString(), AvroClientSettings.HEADER_FILE, headers.toString()), "");

        assertEquals(0, run.status(), run.messages());
        for (Event event : batches.get(0)) {
            assertEquals(Map.of("host", "web1", "dc", "east"), event.getHeaders());
        }
        assertEquals(List.of("a", "b"), bodies(batches.get(0)));
    }

    @Test
    void theFirstFailedDeliveryEndsTheRunWithOneAndSaysHowFarItGot() throws Exception {
        failFrom = 2;
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 23; i++) {
            lines.append("line-").append(i).append('\n');
        }

        Run run = run(Map.of(AvroClientSettings.HOST, "localhost", AvroClientSettings.PORT, "41414"),
                lines.toString());

        assertEquals(1, run.status(), run.messages());
        assertEquals(2, batches.size(), "nothing is read after the failure");
        assertTrue(run.messages().contains("the peer is down"), run.messages());
        assertTrue(run.messages().contains("10 events were delivered before"), run.messages());
    }

    @Test
    void anRpcClientPropertiesFileOfOneHostBecomesTheSinksKeys() throws Exception {
        Path props = Files.writeString(directory.resolve("client.properties"), """
                client.type = default
                hosts = h1
                hosts.h1 = collector.example:4545
                batch-size = 50
                connect-timeout = 5000
                compression-type = deflate
                """);

        AvroClientSettings settings = AvroClientSettings.read(Map.of(AvroClientSettings.RPC_PROPS,
                props.toString())::get);

        assertEquals("avro", settings.sinkType());
        assertEquals(Map.of("type", "avro", "hostname", "collector.example", "port", "4545", "batch-size", "50",
                "connect-timeout", "5000", "compression-type", "deflate"), settings.sinkKeys());
        assertEquals("collector.example:4545", settings.target());
        Path thrift = Files.writeString(directory.resolve("thrift.properties"),
                "client.type = thrift\nhosts = h1 h2\nhosts.h1 = 127.0.0.1:9090\nhosts.h2 = 127.0.0.1:9091\n");
        assertEquals("thrift", AvroClientSettings.read(Map.of(AvroClientSettings.RPC_PROPS, thrift.toString())::get)
                .sinkType());
    }

    @Test
    void rpcClientTypesSluiceDoesNotSendWithAreRefusedByName() throws Exception {
        Path props = Files.writeString(directory.resolve("client.properties"),
                "client.type = default_failover\nhosts = h1\nhosts.h1 = a:1\n");

        AvroClientSettings.SettingsException e = assertThrows(AvroClientSettings.SettingsException.class,
                () -> AvroClientSettings.read(Map.of(AvroClientSettings.RPC_PROPS, props.toString())::get));
        assertTrue(e.getMessage().contains("default_failover"), e.getMessage());
    }

    @Test
    void aMissingPluginIsNamed() throws Exception {
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        AvroClientCommand command = new AvroClientCommand(new ByteArrayInputStream(new byte[0]),
                new PrintStream(messages, true, StandardCharsets.UTF_8));

        int status = command.run(AvroClientSettings.read(Map.of(AvroClientSettings.HOST, "h",
                AvroClientSettings.PORT, "1", AvroClientSettings.DIRNAME, directory.toString())::get), plugins());

        assertEquals(1, status);
        assertTrue(messages.toString(StandardCharsets.UTF_8).contains("spooldir source is not installed"),
                messages::toString);
    }

    @Test
    void theFilesLeftToSendAreThoseTheSpoolingSourceWouldRead() throws Exception {
        Files.writeString(directory.resolve("a.log"), "x");
        Files.writeString(directory.resolve("b.log.COMPLETED"), "x");
        Files.writeString(directory.resolve(".hidden"), "x");
        Files.createDirectories(directory.resolve(".flumespool"));

        assertEquals(List.of(directory.resolve("a.log")), AvroClient.unsent(directory));
    }
}
