package org.sluice.source.jms;

import javax.jms.Connection;
import javax.jms.ConnectionFactory;
import javax.jms.Destination;
import javax.jms.JMSException;
import javax.jms.Message;
import javax.jms.MessageConsumer;
import javax.jms.MessageProducer;
import javax.jms.Session;
import javax.jms.Topic;
import javax.naming.NamingException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to the broker: a transacted session and its consumer (and a producer for rejected messages when a
 * dead-letter queue is configured). Everything the session received since its last commit is acknowledged by the
 * next {@link #commit()} and comes back by {@link #rollback()}. The provider reports a broken connection through its
 * exception listener; the source then makes a new one.
 */
final class JmsConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JmsConsumer.class);

    private final Connection connection;
    private final Session session;
    private final MessageConsumer consumer;
    private final MessageProducer deadLetters;
    private volatile JMSException failure;

    private JmsConsumer(Connection connection, Session session, MessageConsumer consumer,
                        MessageProducer deadLetters) {
        this.connection = connection;
        this.session = session;
        this.consumer = consumer;
        this.deadLetters = deadLetters;
    }

    /** Connects, and on any failure closes what it opened. Call with the provider's class loader as the TCCL. */
    static JmsConsumer open(ConnectionFactory factory, javax.naming.Context jndi, JmsSettings settings,
                            String password) throws JMSException, NamingException {
        Connection connection = settings.userName().isEmpty() ? factory.createConnection()
                : factory.createConnection(settings.userName(), password);
        try {
            if (!settings.clientId().isEmpty()) {
                connection.setClientID(settings.clientId());
            }
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            Destination destination = destination(session, jndi, settings);
            String selector = settings.messageSelector().isEmpty() ? null : settings.messageSelector();
            MessageConsumer consumer = settings.durable()
                    ? session.createDurableSubscriber((Topic) destination, settings.durableSubscriptionName(), selector,
                            true)
                    : session.createConsumer(destination, selector);
            MessageProducer deadLetters = settings.deadLetterQueue().isEmpty() ? null
                    : session.createProducer(session.createQueue(settings.deadLetterQueue()));
            JmsConsumer opened = new JmsConsumer(connection, session, consumer, deadLetters);
            connection.setExceptionListener(opened::failed);
            connection.start();
            return opened;
        } catch (JMSException | NamingException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private static Destination destination(Session session, javax.naming.Context jndi, JmsSettings settings)
            throws JMSException, NamingException {
        if (settings.lookUpDestination()) {
            Object found = jndi.lookup(settings.destinationName());
            if (!(found instanceof Destination destination)) {
                throw new NamingException("JNDI name '" + settings.destinationName() + "' is "
                        + (found == null ? "bound to nothing" : "a " + found.getClass().getName()) + ", not a destination");
            }
            return destination;
        }
        return settings.destinationType() == JmsSettings.DestinationType.QUEUE
                ? session.createQueue(settings.destinationName()) : session.createTopic(settings.destinationName());
    }

    private void failed(JMSException exception) {
        failure = exception;
    }

    /** The failure the provider reported for this connection, or null while it is sound. */
    JMSException failure() {
        return failure;
    }

    /** The next message, waiting up to {@code timeoutMillis} (0: not at all). */
    Message receive(long timeoutMillis) throws JMSException {
        try {
            return timeoutMillis == 0 ? consumer.receiveNoWait() : consumer.receive(timeoutMillis);
        } catch (RuntimeException e) {
            throw asJms("receive", e);
        }
    }

    /** Moves a rejected message to the dead-letter queue, in this transaction; false if there is none. */
    boolean deadLetter(Message message) throws JMSException {
        if (deadLetters == null) {
            return false;
        }
        try {
            deadLetters.send(message);
        } catch (RuntimeException e) {
            throw asJms("send to the dead-letter queue", e);
        }
        return true;
    }

    void commit() throws JMSException {
        try {
            session.commit();
        } catch (RuntimeException e) {
            throw asJms("commit", e);
        }
    }

    /** Gives back everything received since the last commit; a failure is logged (the broker redelivers anyway). */
    void rollback() {
        try {
            session.rollback();
        } catch (JMSException | RuntimeException e) {
            LOG.warn("Rolling back the JMS session failed; the broker redelivers its messages when the connection "
                    + "closes", e);
        }
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (JMSException | RuntimeException e) {
            LOG.warn("Closing the JMS connection failed", e);
        }
    }

    /** Some providers throw unchecked exceptions where JMS says JMSException. */
    private static JMSException asJms(String what, RuntimeException e) {
        JMSException jms = new JMSException("the JMS provider failed in " + what + ": " + e);
        jms.setLinkedException(e);
        jms.initCause(e);
        return jms;
    }
}
