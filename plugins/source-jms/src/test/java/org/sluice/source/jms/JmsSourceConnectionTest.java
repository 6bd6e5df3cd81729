package org.sluice.source.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.jms.ConnectionFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.source.PollableSource.Status;
import org.sluice.api.source.SourceContext;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

/**
 * How the jms source connects: with a user and a password file, to a broker that goes away and comes back, and with
 * its provider loaded from plain jars, as a user supplies it.
 */
class JmsSourceConnectionTest {
    @TempDir
    Path temp;

    private final RecordingChannelProcessor channels = new RecordingChannelProcessor();
    private final JmsSourceFactory factory = new JmsSourceFactory();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private SourceContext context;

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        factory.deactivate();
    }

    private EmbeddedBroker broker(String user, String password) throws Exception {
        EmbeddedBroker broker = EmbeddedBroker.start(Files.createTempDirectory(temp, "broker"), user, password);
        closing.add(broker);
        return broker;
    }

    private JmsSource source(EmbeddedBroker broker, String queue, String... keyValues) throws Exception {
        Map<String, String> properties = broker.sourceKeys(queue, keyValues);
        context = TestContexts.source("r1", properties, channels, temp.resolve("data"));
        JmsSource source = (JmsSource) factory.create(context);
        source.start();
        closing.add(source::stop);
        return source;
    }

    private List<String> bodies() {
        return channels.accepted().stream().map(e -> new String(e.getBody(), StandardCharsets.UTF_8))
                .collect(Collectors.toList());
    }

    @Test
    void userNameAndPasswordFileLogIn() throws Exception {
        factory.loaders().withFallback(getClass().getClassLoader());
        EmbeddedBroker broker = broker("flume", "s3cret");
        broker.sendTexts("secured", "for flume only");
        Path right = Files.writeString(temp.resolve("password"), "s3cret\n");
        Path wrong = Files.writeString(temp.resolve("wrong"), "guess");

        JmsSource refused = source(broker, "secured", "userName", "flume", "passwordFile", wrong.toString());
        assertEquals(Status.BACKOFF, refused.process());
        assertTrue(context.counter().get(JmsSource.CONNECTION_FAILED) >= 1);
        assertTrue(channels.accepted().isEmpty());
        refused.stop();

        JmsSource source = source(broker, "secured", "userName", "flume", "passwordFile", right.toString());
        EmbeddedBroker.pollUntil(source, "the message", () -> channels.accepted().size() == 1);
        assertEquals(List.of("for flume only"), bodies());
    }

    @Test
    void theSourceReconnectsByItselfWhenTheBrokerComesBack() throws Exception {
        factory.loaders().withFallback(getClass().getClassLoader());
        EmbeddedBroker broker = broker(null, null);
        broker.sendTexts("q", "before");
        JmsSource source = source(broker, "q", "maxBackoffSleep", "100");
        EmbeddedBroker.pollUntil(source, "the first message", () -> channels.accepted().size() == 1);

        broker.stop();
        assertEquals(Status.BACKOFF, source.process(), "no broker");
        broker.restart();
        broker.sendTexts("q", "after");
        EmbeddedBroker.pollUntil(source, "the message sent after the restart", () -> channels.accepted().size() == 2);
        assertEquals(List.of("before", "after"), bodies());
        assertTrue(context.counter().get(JmsSource.CONNECTION_CREATED) >= 2);
    }

    /** The platform stops a source whose poll overran the stop's grace; a poll after that must not connect again. */
    @Test
    void aPollAfterTheStopNeitherConnectsNorReads() throws Exception {
        factory.loaders().withFallback(getClass().getClassLoader());
        EmbeddedBroker broker = broker(null, null);
        broker.sendTexts("q", "before the stop");
        JmsSource source = source(broker, "q");
        EmbeddedBroker.pollUntil(source, "the first message", () -> channels.accepted().size() == 1);
        long connections = context.counter().get(JmsSource.CONNECTION_CREATED);

        source.stop();
        broker.sendTexts("q", "after the stop");
        assertEquals(Status.BACKOFF, source.process());
        assertEquals(connections, context.counter().get(JmsSource.CONNECTION_CREATED));
        assertEquals(List.of("before the stop"), bodies());

        JmsSource next = source(broker, "q");
        EmbeddedBroker.pollUntil(next, "the message sent after the stop", () -> channels.accepted().size() == 2);
        assertEquals(List.of("before the stop", "after the stop"), bodies());
    }

    @Test
    void aBrokerDownAtStartDoesNotFailTheStart() throws Exception {
        factory.loaders().withFallback(getClass().getClassLoader());
        EmbeddedBroker broker = broker(null, null);
        broker.stop();
        JmsSource source = source(broker, "q");
        assertEquals(Status.BACKOFF, source.process());
        broker.restart();
        broker.sendTexts("q", "late");
        EmbeddedBroker.pollUntil(source, "the message", () -> channels.accepted().size() == 1);
    }

    /**
     * The provider as a user supplies it: plain jars in a plugins.d directory, loaded by the source's own class loader
     * (which shares javax.jms with the source and nothing of the test's class path), found by JNDI through the thread
     * context class loader.
     */
    @Test
    void theProviderComesFromItsJarsInPluginsD() throws Exception {
        EmbeddedBroker broker = broker(null, null);
        Path home = temp.resolve("home");
        EmbeddedBroker.installClientJars(home);
        factory.withDefaults(ProviderClasspath.Defaults.of(home, null));
        broker.sendTexts("q", "through plugins.d");

        JmsSource source = source(broker, "q");
        EmbeddedBroker.pollUntil(source, "the message", () -> channels.accepted().size() == 1);
        assertEquals(List.of("through plugins.d"), bodies());

        ClassLoader loader = source.providerLoader();
        assertTrue(loader instanceof ProviderClassLoader);
        Class<?> artemisFactory = loader.loadClass("org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory");
        assertSame(loader, artemisFactory.getClassLoader(), "the provider's classes are its jars'");
        assertNotSame(org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory.class, artemisFactory);
        assertSame(ConnectionFactory.class, loader.loadClass("javax.jms.ConnectionFactory"), "javax.jms is shared");
    }
}
