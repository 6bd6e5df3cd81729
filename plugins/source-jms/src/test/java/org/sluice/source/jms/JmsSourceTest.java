package org.sluice.source.jms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import javax.jms.BytesMessage;
import javax.jms.Message;
import javax.jms.TextMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;
import org.sluice.api.jms.JmsMessageConverterFactory;
import org.sluice.api.source.PollableSource.Status;
import org.sluice.api.source.SourceContext;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

/**
 * The jms source against a real ActiveMQ Artemis broker, its JMS client as the provider (found through Artemis's
 * JNDI InitialContextFactory): what reaches the channels, when the broker lets go of a message, and what happens
 * to a batch the channels refuse, to a message too large, to a converter that comes and goes.
 */
class JmsSourceTest {
    @TempDir
    static Path brokerDirectory;

    @TempDir
    Path temp;

    private static EmbeddedBroker broker;
    private static final AtomicInteger DESTINATIONS = new AtomicInteger();

    private final RecordingChannelProcessor channels = new RecordingChannelProcessor();
    private final JmsSourceFactory factory = new JmsSourceFactory();
    private final List<JmsSource> started = new ArrayList<>();
    private SourceContext context;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start(brokerDirectory);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @AfterEach
    void stopSources() {
        started.forEach(JmsSource::stop);
        factory.deactivate();
    }

    private static String destination() {
        return "test." + DESTINATIONS.incrementAndGet();
    }

    /** A started source on the test broker, with the test class path as its provider. */
    private JmsSource source(String destination, String... keyValues) throws Exception {
        Map<String, String> properties = broker.sourceKeys(destination, keyValues);
        factory.loaders().withFallback(JmsSourceTest.class.getClassLoader());
        context = TestContexts.source("r1", properties, channels, temp.resolve("data"));
        JmsSource source = (JmsSource) factory.create(context);
        source.start();
        started.add(source);
        return source;
    }

    private long counter(String name) {
        return context.counter().get(name);
    }

    private List<String> bodies() {
        return channels.accepted().stream().map(e -> new String(e.getBody(), StandardCharsets.UTF_8))
                .collect(Collectors.toList());
    }

    @Test
    void messagesBecomeEventsWithTheirPropertiesAsHeadersAndLeaveTheQueueOnlyOnceCommitted() throws Exception {
        String queue = destination();
        byte[] bytes = {0, 1, 2, (byte) 0xff};
        broker.send(queue, false, List.of(session -> {
            TextMessage text = session.createTextMessage("héllo");
            text.setStringProperty("name", "value");
            text.setIntProperty("count", 42);
            text.setBooleanProperty("flag", true);
            return text;
        }, session -> {
            BytesMessage message = session.createBytesMessage();
            message.writeBytes(bytes);
            return message;
        }, session -> session.createObjectMessage("an object"), session -> session.createMapMessage()));
        JmsSource source = source(queue, "converter.charset", "ISO-8859-1");

        assertEquals(Status.READY, source.process());

        List<Event> events = channels.accepted();
        assertEquals(4, events.size());
        assertEquals("héllo", new String(events.get(0).getBody(), StandardCharsets.ISO_8859_1));
        assertEquals(Map.of("name", "value", "count", "42", "flag", "true"), withoutBrokerProperties(events.get(0)));
        assertArrayEquals(bytes, events.get(1).getBody());
        ByteArrayOutputStream serialized = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(serialized)) {
            out.writeObject("an object");
        }
        assertArrayEquals(serialized.toByteArray(), events.get(2).getBody());
        assertEquals(0, events.get(3).getBody().length);
        assertFalse(events.get(0).getHeaders().containsKey("JMSMessageID"), "JMS header fields are not headers");
        assertTrue(broker.browse(queue).isEmpty(), "committed after the channels took the batch");
        assertEquals(4, counter(SourceCounter.EVENT_ACCEPTED));
        assertEquals(1, counter(SourceCounter.APPEND_BATCH_ACCEPTED));
    }

    /** Artemis adds properties of its own (such as __AMQ_CID) to every message; Flume makes headers of them too. */
    private static Map<String, String> withoutBrokerProperties(Event event) {
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.keySet().removeIf(name -> name.startsWith("__AMQ") || name.startsWith("JMSX"));
        return headers;
    }

    @Test
    void aBatchIsAtMostBatchSizeMessages() throws Exception {
        String queue = destination();
        String[] texts = new String[250];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = "m" + i;
        }
        broker.sendTexts(queue, texts);
        JmsSource source = source(queue, "batchSize", "100");

        assertEquals(Status.READY, source.process());
        assertEquals(100, channels.accepted().size());
        EmbeddedBroker.pollUntil(source, "every message", () -> channels.accepted().size() == 250);
        assertEquals(List.of(texts), bodies());
        assertEquals(3, counter(SourceCounter.APPEND_BATCH_ACCEPTED));
        assertEquals(Status.BACKOFF, source.process(), "an empty queue");
    }

    @Test
    void aBatchTheChannelsRefuseIsRolledBackAndComesAgainWithNothingLostOrDoubled() throws Exception {
        String queue = destination();
        broker.sendTexts(queue, "a", "b", "c");
        JmsSource source = source(queue);
        channels.failNext(1);

        assertEquals(Status.BACKOFF, source.process());
        assertTrue(channels.accepted().isEmpty());
        assertEquals(1, counter(SourceCounter.CHANNEL_WRITE_FAIL));
        EmbeddedBroker.pollUntil(source, "the batch again", () -> channels.accepted().size() >= 3);
        assertEquals(List.of("a", "b", "c"), bodies());
        assertTrue(broker.browse(queue).isEmpty());

        // Refused again, then the source stops: the broker has every message of the batch back (a browser does not
        // see messages delivered to a connected consumer, so the look is taken after the stop).
        broker.sendTexts(queue, "d", "e");
        channels.failNext(1);
        assertEquals(Status.BACKOFF, source.process());
        source.stop();
        started.remove(source);
        assertEquals(List.of("d", "e"), texts(broker.browse(queue)));
        assertEquals(List.of("a", "b", "c"), bodies());
    }

    private static List<String> texts(List<Message> messages) throws Exception {
        List<String> texts = new ArrayList<>();
        for (Message message : messages) {
            texts.add(((TextMessage) message).getText());
        }
        return texts;
    }

    @Test
    void theMessageSelectorPicksTheMessages() throws Exception {
        String queue = destination();
        List<EmbeddedBroker.MessageMaker> messages = new ArrayList<>();
        for (String color : List.of("red", "blue", "red")) {
            messages.add(session -> {
                Message message = session.createTextMessage(color);
                message.setStringProperty("color", color);
                return message;
            });
        }
        broker.send(queue, false, messages);
        JmsSource source = source(queue, "messageSelector", "color = 'red'");

        EmbeddedBroker.pollUntil(source, "the red messages", () -> channels.accepted().size() == 2);
        assertEquals(List.of("red", "red"), bodies());
        List<Message> left = broker.browse(queue);
        assertEquals(1, left.size());
        assertEquals("blue", ((TextMessage) left.get(0)).getText());
    }

    @Test
    void aDurableSubscriptionKeepsWhatWasPublishedWhileTheSourceWasStopped() throws Exception {
        String topic = destination();
        String[] durable = {"destinationType", "TOPIC", "createDurableSubscription", "true", "clientId", "sluice-test",
            "durableSubscriptionName", "flume"};
        JmsSource first = source(topic, durable);
        broker.send(topic, true, List.of(session -> session.createTextMessage("while running")));
        EmbeddedBroker.pollUntil(first, "the first message", () -> channels.accepted().size() == 1);
        first.stop();
        started.remove(first);

        broker.send(topic, true, List.of(session -> session.createTextMessage("while stopped")));
        JmsSource second = source(topic, durable);
        EmbeddedBroker.pollUntil(second, "the message published while stopped", () -> channels.accepted().size() == 2);
        assertEquals(List.of("while running", "while stopped"), bodies());
    }

    @Test
    void aMessageLargerThanMaxEventSizeIsRejectedAloneAndTheRestGoesOn() throws Exception {
        String queue = destination();
        broker.send(queue, false, List.of(session -> session.createTextMessage("before"), session -> {
            BytesMessage big = session.createBytesMessage();
            big.writeBytes(new byte[5000]);
            return big;
        }, session -> session.createTextMessage("x".repeat(3000)), session -> session.createTextMessage("after")));
        JmsSource source = source(queue, "maxEventSize", "1000");

        EmbeddedBroker.pollUntil(source, "the messages that fit", () -> channels.accepted().size() == 2);
        assertEquals(List.of("before", "after"), bodies());
        assertEquals(2, counter(SourceCounter.EVENT_READ_FAIL));
        assertEquals(2, counter(JmsSource.MESSAGES_REJECTED));
        assertTrue(broker.browse(queue).isEmpty(), "rejected, not left to block the queue");
    }

    @Test
    void aRejectedMessageGoesToTheDeadLetterQueueInTheSameTransaction() throws Exception {
        String queue = destination();
        String deadLetters = queue + ".DLQ";
        broker.send(queue, false, List.of(session -> session.createTextMessage("x".repeat(3000)),
                session -> session.createTextMessage("fits")));
        JmsSource source = source(queue, "maxEventSize", "1000", "deadLetterQueue", deadLetters);

        EmbeddedBroker.pollUntil(source, "the message that fits", () -> channels.accepted().size() == 1);
        List<Message> rejected = broker.browse(deadLetters);
        assertEquals(1, rejected.size());
        assertEquals("x".repeat(3000), ((TextMessage) rejected.get(0)).getText());
        assertTrue(broker.browse(queue).isEmpty());
    }

    @Test
    void aCustomConverterComesFromAnotherBundlesServiceAndItsAbsenceHoldsTheMessages() throws Exception {
        String queue = destination();
        JmsMessageConverterFactory upperCase = source -> message -> {
            String text = ((TextMessage) message).getText();
            String prefix = source.properties().getOrDefault("converter.prefix", "");
            return List.of(new SimpleEvent((prefix + text.toUpperCase()).getBytes(StandardCharsets.UTF_8),
                    Map.of()));
        };
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> source(queue, "converter.type", "com.example.UpperCase$Builder", "converter.prefix", ">"));
        assertTrue(missing.getMessage().contains("converter.type"), missing.getMessage());
        assertTrue(missing.getMessage().contains("com.example.UpperCase$Builder"), missing.getMessage());

        factory.converters().add(upperCase, "com.example.UpperCase$Builder");
        JmsSource source = source(queue, "converter.type", "com.example.UpperCase$Builder", "converter.prefix", ">");
        broker.sendTexts(queue, "one");
        EmbeddedBroker.pollUntil(source, "the converted message", () -> channels.accepted().size() == 1);
        assertEquals(List.of(">ONE"), bodies());

        factory.converters().remove(upperCase);
        broker.sendTexts(queue, "two");
        assertEquals(Status.BACKOFF, source.process());
        assertEquals(1, broker.browse(queue).size(), "held by the broker while no converter is there");

        factory.converters().add(upperCase, "com.example.UpperCase$Builder");
        EmbeddedBroker.pollUntil(source, "the held message", () -> channels.accepted().size() == 2);
        assertEquals(List.of(">ONE", ">TWO"), bodies());
    }

    @Test
    void aConverterThatThrowsRejectsThatMessageOnly() throws Exception {
        String queue = destination();
        factory.converters().add(source -> message -> {
            String text = ((TextMessage) message).getText();
            if (text.equals("poison")) {
                throw new IllegalArgumentException("cannot read " + text);
            }
            return List.of(new SimpleEvent(text.getBytes(StandardCharsets.UTF_8), Map.of()));
        }, "picky");
        broker.sendTexts(queue, "good", "poison", "good too");
        JmsSource source = source(queue, "converter.type", "PICKY");

        EmbeddedBroker.pollUntil(source, "the good messages", () -> channels.accepted().size() == 2);
        assertEquals(List.of("good", "good too"), bodies());
        assertEquals(1, counter(SourceCounter.EVENT_READ_FAIL));
        assertTrue(broker.browse(queue).isEmpty());
    }

    @Test
    void aJndiNamedDestinationIsLookedUp() throws Exception {
        String queue = destination();
        broker.sendTexts(queue, "by jndi");
        // Artemis's JNDI makes any queue under dynamicQueues/.
        JmsSource source = source("dynamicQueues/" + queue, "destinationLocator", "jndi");
        EmbeddedBroker.pollUntil(source, "the message", () -> channels.accepted().size() == 1);
        assertEquals(List.of("by jndi"), bodies());
        assertNotNull(source.consumer());
    }
}
