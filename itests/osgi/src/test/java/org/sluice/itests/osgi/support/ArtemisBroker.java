package org.sluice.itests.osgi.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

/**
 * An ActiveMQ Artemis broker started beside the framework from a test's {@code @Configuration}, on 127.0.0.1, speaking
 * Artemis's own protocol and OpenWire (so ActiveMQ 5 clients, which the Flume User Guide's example names, connect to
 * it as to an ActiveMQ 5 broker). Its classes are on the test class path only; bundles never see them.
 */
public final class ArtemisBroker {

    private ArtemisBroker() {
    }

    /** Starts a broker unless this JVM has one already; returns its OpenWire URL, tcp://127.0.0.1:port. */
    public static String start() throws IOException {
        return Server.start();
    }

    /** Sends each text as a TextMessage to a queue, in one transaction, with an ActiveMQ 5 client. */
    public static void sendTexts(String brokerUrl, String queue, List<String> texts) throws Exception {
        Server.sendTexts(brokerUrl, queue, texts);
    }

    /** Broker and client classes are named only here, so the probe, which has neither, never loads them. */
    private static final class Server {
        private static org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ broker;
        private static String url;

        static synchronized String start() throws IOException {
            if (broker != null) {
                return url;
            }
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            java.nio.file.Path directory = WorkDirs.create("artemis");
            org.apache.activemq.artemis.core.config.impl.ConfigurationImpl configuration =
                    new org.apache.activemq.artemis.core.config.impl.ConfigurationImpl();
            configuration.setPersistenceEnabled(false);
            configuration.setSecurityEnabled(false);
            configuration.setJournalDirectory(directory.resolve("journal").toString());
            configuration.setPagingDirectory(directory.resolve("paging").toString());
            configuration.setBindingsDirectory(directory.resolve("bindings").toString());
            configuration.setLargeMessagesDirectory(directory.resolve("large").toString());
            configuration.addAcceptorConfiguration(new org.apache.activemq.artemis.api.core.TransportConfiguration(
                    "org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory",
                    Map.of("host", "127.0.0.1", "port", port, "protocols", "CORE,OPENWIRE")));
            org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ started =
                    new org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ();
            started.setConfiguration(configuration);
            try {
                started.start();
            } catch (Exception e) {
                throw new IOException("The Artemis broker did not start", e);
            }
            broker = started;
            url = "tcp://127.0.0.1:" + port;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.stop();
                } catch (Exception e) {
                    // the JVM is exiting
                }
            }));
            return url;
        }

        static void sendTexts(String brokerUrl, String queue, List<String> texts) throws Exception {
            org.apache.activemq.ActiveMQConnectionFactory factory = new org.apache.activemq.ActiveMQConnectionFactory(
                    brokerUrl);
            try (javax.jms.Connection connection = factory.createConnection()) {
                javax.jms.Session session = connection.createSession(true, javax.jms.Session.SESSION_TRANSACTED);
                javax.jms.MessageProducer producer = session.createProducer(session.createQueue(queue));
                for (String text : texts) {
                    producer.send(session.createTextMessage(text));
                }
                session.commit();
            }
        }
    }
}
