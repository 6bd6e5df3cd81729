package org.sluice.source.jms;

import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.jms.Connection;
import javax.jms.JMSException;
import javax.jms.Message;
import javax.jms.MessageProducer;
import javax.jms.QueueBrowser;
import javax.jms.Session;

import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;

/**
 * A real ActiveMQ Artemis broker in the test JVM, on 127.0.0.1, without persistence (it starts in about a second),
 * optionally with one user; and a plain JMS client of it for the tests to send, publish and look with.
 */
final class EmbeddedBroker implements AutoCloseable {
    static final String ARTEMIS_JNDI = "org.apache.activemq.artemis.jndi.ActiveMQInitialContextFactory";

    /** How a test makes one message with a session. */
    interface MessageMaker {
        Message make(Session session) throws JMSException;
    }

    private final Path directory;
    private final int port;
    private final String user;
    private final String password;
    private EmbeddedActiveMQ server;

    private EmbeddedBroker(Path directory, int port, String user, String password) {
        this.directory = directory;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    static EmbeddedBroker start(Path directory) throws Exception {
        return start(directory, null, null);
    }

    /** A broker that lets only {@code user} with {@code password} in (none: anyone). */
    static EmbeddedBroker start(Path directory, String user, String password) throws Exception {
        EmbeddedBroker broker = new EmbeddedBroker(directory, freePort(), user, password);
        broker.startServer();
        return broker;
    }

    private void startServer() throws Exception {
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(false);
        configuration.setJournalDirectory(directory.resolve("journal").toString());
        configuration.setPagingDirectory(directory.resolve("paging").toString());
        configuration.setBindingsDirectory(directory.resolve("bindings").toString());
        configuration.setLargeMessagesDirectory(directory.resolve("large").toString());
        configuration.setSecurityEnabled(user != null);
        configuration.addAcceptorConfiguration(new TransportConfiguration(
                "org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory",
                Map.of("host", "127.0.0.1", "port", port)));
        EmbeddedActiveMQ embedded = new EmbeddedActiveMQ();
        embedded.setConfiguration(configuration);
        if (user != null) {
            embedded.setSecurityManager(new OneUser(user, password));
        }
        embedded.start();
        server = embedded;
    }

    /** The keys of a jms source reading {@code destination} (a queue unless the keys say) of this broker. */
    Map<String, String> sourceKeys(String destination, String... keyValues) {
        Map<String, String> properties = new java.util.HashMap<>();
        properties.put("initialContextFactory", ARTEMIS_JNDI);
        properties.put("providerURL", url());
        properties.put("destinationName", destination);
        properties.put("destinationType", "queue");
        properties.put("pollTimeout", "200");
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    /** Polls a source until the condition holds, as the platform's runner would. */
    static void pollUntil(JmsSource source, String what, java.util.function.BooleanSupplier condition) {
        org.awaitility.Awaitility.await(what).atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(1)).until(() -> {
                    source.process();
                    return condition.getAsBoolean();
                });
    }

    /** tcp://127.0.0.1:port */
    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    void stop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** Starts the broker again on the same port, empty. */
    void restart() throws Exception {
        stop();
        startServer();
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    /** Sends to a queue (or publishes to a topic) in one committed transaction. */
    void send(String destination, boolean topic, List<MessageMaker> messages) throws JMSException {
        try (Connection connection = connect()) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(topic ? session.createTopic(destination)
                    : session.createQueue(destination));
            for (MessageMaker maker : messages) {
                producer.send(maker.make(session));
            }
            session.commit();
        }
    }

    void sendTexts(String queue, String... texts) throws JMSException {
        List<MessageMaker> messages = new ArrayList<>();
        for (String text : texts) {
            messages.add(session -> session.createTextMessage(text));
        }
        send(queue, false, messages);
    }

    /** The messages waiting in a queue, by browsing: nothing is consumed. */
    List<Message> browse(String queue) throws JMSException {
        try (Connection connection = connect()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = session.createBrowser(session.createQueue(queue));
            return Collections.list((java.util.Enumeration<Message>) browser.getEnumeration());
        }
    }

    static Serializable serializable(String value) {
        return value;
    }

    private Connection connect() throws JMSException {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url());
        return user == null ? factory.createConnection() : factory.createConnection(user, password);
    }

    /**
     * Puts Artemis's JMS client and what it needs, taken from the test class path as a user takes them from a
     * download, into {@code home}'s plugins.d, where a jms source without providerClasspath loads them from.
     */
    static void installClientJars(Path home) throws IOException {
        Path libext = Files.createDirectories(home.resolve("plugins.d/artemis/libext"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.endsWith(".jar") && (name.startsWith("artemis-jms-client")
                    || name.startsWith("artemis-core-client") || name.startsWith("artemis-commons")
                    || name.startsWith("artemis-selector")
                    || name.startsWith("netty-") || name.startsWith("commons-beanutils")
                    || name.startsWith("jctools") || name.startsWith("commons-logging")
                    || name.startsWith("commons-collections"))) {
                Files.copy(Path.of(entry), libext.resolve(name));
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Lets exactly one user in, with every right. */
    private record OneUser(String user, String password) implements ActiveMQSecurityManager {
        @Override
        public boolean validateUser(String name, String secret) {
            return user.equals(name) && password.equals(secret);
        }

        @Override
        public boolean validateUserAndRole(String name, String secret, Set<Role> roles, CheckType checkType) {
            return validateUser(name, secret);
        }
    }
}
