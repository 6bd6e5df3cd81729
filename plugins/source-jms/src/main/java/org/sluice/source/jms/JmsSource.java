package org.sluice.source.jms;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.jms.ConnectionFactory;
import javax.jms.JMSException;
import javax.jms.Message;
import javax.naming.InitialContext;
import javax.naming.NamingException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.event.Event;
import org.sluice.api.jms.JmsMessageConverter;
import org.sluice.api.jms.JmsMessageConverterFactory;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.source.PollableSource;
import org.sluice.api.source.SourceContext;

/**
 * Flume's jms source: polls a queue or topic in batches in a transacted session and commits the session only after
 * the channels committed the batch, so a message leaves the broker only once it is in every required channel. A
 * batch the channels refuse is rolled back and comes again.
 *
 * <p>Where it differs from Flume: a broken connection is made anew at the next poll (the provider's exception
 * listener says so), and a broker that is down at start does not fail the start: the source connects when it can.
 * A message that cannot become events (larger than maxEventSize, or one its converter throws on) is rejected alone
 * (moved to deadLetterQueue if one is set, else dropped), counted in EventReadFail and logged; the rest of its batch
 * goes on. Flume rolls the whole batch back instead, again and again, until the broker's redelivery limit (if it has
 * one) takes the message away.
 */
final class JmsSource implements PollableSource {
    private static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.source.jms.JMSSource");
    private static final long WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    static final String CONNECTION_CREATED = "ConnectionCreatedCount";
    static final String CONNECTION_FAILED = "ConnectionFailedCount";
    static final String MESSAGES_REJECTED = "MessageRejectedCount";

    private final SourceContext context;
    private final JmsSettings settings;
    private final ConverterRegistry converters;
    private final ProviderLoaders loaders;
    private final String name;

    private ProviderLoaders.Lease lease;
    private ClassLoader providerLoader;
    private InitialContext jndi;
    private ConnectionFactory connectionFactory;
    private JmsMessageConverterFactory converterFactory;
    private JmsMessageConverter converter;
    /** The open connection; set and cleared under this object's monitor, read by the polling thread. */
    private volatile JmsConsumer consumer;
    /**
     * Set by {@link #stop()}. The platform stops a source whose poll overran its stop grace while that poll may still
     * run: after a stop, a poll neither reads nor connects again (the loader and the JNDI context are given back).
     */
    private volatile boolean stopped;
    private int consecutiveErrors;
    private long nextWarning = System.nanoTime();
    private long suppressedWarnings;

    JmsSource(SourceContext context, JmsSettings settings, ConverterRegistry converters, ProviderLoaders loaders) {
        this.context = context;
        this.settings = settings;
        this.converters = converters;
        this.loaders = loaders;
        this.name = "Agent " + context.agentName() + ", jms source " + context.componentName();
    }

    @Override
    public void start() {
        stopped = false;
        List<URL> urls;
        try {
            urls = settings.providerClasspath().urls();
        } catch (IOException e) {
            throw new IllegalStateException(name + ": cannot list the JMS provider's jars: " + e.getMessage(), e);
        }
        lease = loaders.acquire(urls);
        providerLoader = lease.loader();
        try {
            converter = newConverter();
            withProvider(() -> {
                lookUpConnectionFactory();
                connect();
                return null;
            });
        } catch (RuntimeException | Error e) {
            // The platform does not stop a source whose start failed: give the loader back here, and keep the
            // start's failure as the one reported should the clean-up fail too.
            try {
                stop();
            } catch (RuntimeException | Error cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private void lookUpConnectionFactory() {
        Hashtable<String, Object> environment = new Hashtable<>();
        environment.put(javax.naming.Context.INITIAL_CONTEXT_FACTORY, settings.initialContextFactory());
        environment.put(javax.naming.Context.PROVIDER_URL, settings.providerUrl());
        if (!settings.userName().isEmpty()) {
            environment.put(javax.naming.Context.SECURITY_PRINCIPAL, settings.userName());
        }
        String password = password();
        if (password != null) {
            environment.put(javax.naming.Context.SECURITY_CREDENTIALS, password);
        }
        try {
            jndi = new InitialContext(environment);
        } catch (NamingException e) {
            throw new IllegalStateException(name + ": cannot create the JNDI context of initialContextFactory '"
                    + settings.initialContextFactory() + "' (is the provider in " + settings.providerClasspath().describe()
                    + "?): " + e, e);
        }
        Object found;
        try {
            found = jndi.lookup(settings.connectionFactory());
        } catch (NamingException e) {
            closeJndi();
            throw new IllegalStateException(name + ": JNDI has no connectionFactory '" + settings.connectionFactory()
                    + "': " + e, e);
        }
        if (!(found instanceof ConnectionFactory factory)) {
            closeJndi();
            throw new IllegalStateException(name + ": connectionFactory '" + settings.connectionFactory() + "' is "
                    + (found == null ? "bound to nothing" : "a " + found.getClass().getName())
                    + ", not a javax.jms.ConnectionFactory");
        }
        connectionFactory = factory;
    }

    /** The configured converter, or an exception saying which bundle is missing. */
    private JmsMessageConverter newConverter() {
        if (settings.defaultConverter()) {
            converterFactory = null;
            return new DefaultMessageConverter(settings.charset(), settings.maxEventSize());
        }
        JmsMessageConverterFactory factory = converters.find(settings.converterType());
        if (factory == null) {
            throw new IllegalStateException(name + ": no installed bundle provides the JMS converter type '"
                    + settings.converterType() + "' (key 'converter.type'); installed: " + converters);
        }
        try {
            JmsMessageConverter made = factory.create(context);
            converterFactory = factory;
            return made;
        } catch (org.sluice.api.component.ConfigurationException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The password, read from passwordFile now (so a changed password counts from the next connection). */
    private String password() {
        if (settings.passwordFile() == null) {
            return null;
        }
        try {
            return Files.readString(settings.passwordFile(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new IllegalStateException(name + ": cannot read passwordFile " + settings.passwordFile(), e);
        }
    }

    /** Connects; a failure is counted and logged, and the next poll tries again. */
    private boolean connect() {
        JmsConsumer opened;
        try {
            opened = JmsConsumer.open(connectionFactory, jndi, settings, password());
        } catch (JMSException | NamingException | RuntimeException e) {
            if (stopped) {
                return false;
            }
            context.counter().add(CONNECTION_FAILED, 1);
            warn("{}: cannot connect to the JMS provider at {} yet, trying again: {}", name, settings.providerUrl(),
                    e.toString());
            return false;
        }
        if (!adopt(opened)) {
            opened.close();
            return false;
        }
        context.counter().add(CONNECTION_CREATED, 1);
        context.counter().setOpenConnectionCount(1);
        consecutiveErrors = 0;
        LOG.info("{}: connected to {} '{}'{}{}, batch size {}", name,
                settings.destinationType().name().toLowerCase(java.util.Locale.ROOT), settings.destinationName(),
                settings.userName().isEmpty() ? "" : " as user '" + settings.userName() + "'",
                settings.messageSelector().isEmpty() ? "" : " with selector '" + settings.messageSelector() + "'",
                settings.batchSize());
        return true;
    }

    /** Keeps a connection just opened, unless the source stopped meanwhile. */
    private synchronized boolean adopt(JmsConsumer opened) {
        if (stopped) {
            return false;
        }
        consumer = opened;
        return true;
    }

    private synchronized void disconnect() {
        JmsConsumer open = consumer;
        if (open != null) {
            consumer = null;
            open.close();
            context.counter().setOpenConnectionCount(0);
        }
    }

    @Override
    public Status process() throws EventDeliveryException {
        return withProvider(this::poll);
    }

    private Status poll() throws EventDeliveryException {
        if (stopped) {
            return Status.BACKOFF;
        }
        JmsConsumer failed = consumer;
        if (failed != null && failed.failure() != null) {
            warn("{}: the connection to the JMS provider failed, connecting again: {}", name,
                    failed.failure().toString());
            disconnect();
        }
        if (!converterStillProvided()) {
            return Status.BACKOFF;
        }
        if (consumer == null && !connect()) {
            return Status.BACKOFF;
        }
        // A stop on another thread may close this connection at any moment: its session's messages then come again.
        JmsConsumer open = consumer;
        if (open == null) {
            return Status.BACKOFF;
        }
        List<Event> events = new ArrayList<>();
        int messages = 0;
        try {
            for (Message message = open.receive(settings.pollTimeout()); message != null;
                 message = open.receive(0)) {
                messages++;
                convert(open, message, events);
                if (messages == settings.batchSize()) {
                    break;
                }
            }
        } catch (JMSException | RuntimeException e) {
            open.rollback();
            consecutiveErrors++;
            warn("{}: receiving from the JMS provider failed ({} in a row), its messages come again: {}", name,
                    consecutiveErrors, e.toString());
            if (open.failure() != null || consecutiveErrors > settings.errorThreshold()) {
                disconnect();
            }
            return Status.BACKOFF;
        }
        if (messages == 0) {
            return Status.BACKOFF;
        }
        if (!events.isEmpty()) {
            context.counter().incrementAppendBatchReceivedCount();
            context.counter().addToEventReceivedCount(events.size());
            try {
                context.channelProcessor().processEventBatch(events);
            } catch (ChannelException e) {
                open.rollback();
                context.counter().incrementChannelWriteFail();
                warn("{}: the channels refused a batch of {} events, its messages come again: {}", name,
                        events.size(), e.getMessage());
                return Status.BACKOFF;
            } catch (RuntimeException e) {
                open.rollback();
                throw new EventDeliveryException(name + ": handing a batch to the channels failed; its messages "
                        + "come again", e);
            }
        }
        try {
            open.commit();
        } catch (JMSException e) {
            // The channels have the events; the broker has not heard so, and delivers the messages again.
            LOG.warn("{}: committing the JMS session after the channels committed failed; its {} messages will be "
                    + "delivered again (at least once)", name, messages, e);
            disconnect();
        }
        context.counter().addToEventAcceptedCount(events.size());
        if (!events.isEmpty()) {
            context.counter().incrementAppendBatchAcceptedCount();
        }
        consecutiveErrors = 0;
        return Status.READY;
    }

    /** Converts one message into {@code events}, or rejects it alone; a broken connection is rethrown. */
    private void convert(JmsConsumer open, Message message, List<Event> events) throws JMSException {
        String reason;
        try {
            List<Event> converted = converter.convert(message);
            long size = EventSize.of(converted);
            if (size <= settings.maxEventSize()) {
                events.addAll(converted);
                return;
            }
            reason = "its events are " + size + " bytes, more than maxEventSize (" + settings.maxEventSize() + ")";
        } catch (RejectedMessageException e) {
            reason = e.getMessage();
        } catch (JMSException | RuntimeException e) {
            if (open.failure() != null) {
                throw e instanceof JMSException jms ? jms : new JMSException(e.toString());
            }
            reason = "the converter failed: " + e;
        }
        boolean kept = open.deadLetter(message);
        context.counter().incrementEventReadFail();
        context.counter().add(MESSAGES_REJECTED, 1);
        warn("{}: rejected a message, {}: {}", name,
                kept ? "moved to deadLetterQueue '" + settings.deadLetterQueue() + "'" : "dropped", reason);
    }

    /**
     * Whether the converter this source uses is still provided; when its bundle went (or was replaced), the source
     * stops consuming until one is there again. Nothing is open between polls, so nothing is lost.
     */
    private boolean converterStillProvided() {
        if (settings.defaultConverter()) {
            return true;
        }
        JmsMessageConverterFactory current = converters.find(settings.converterType());
        if (current != null && current == converterFactory) {
            return true;
        }
        converter = null;
        converterFactory = null;
        if (current == null) {
            warn("{}: no installed bundle provides the JMS converter type '{}' (key 'converter.type'); waiting",
                    name, settings.converterType());
            disconnect();
            return false;
        }
        try {
            converter = newConverter();
            return true;
        } catch (IllegalStateException e) {
            warn("{}: {}", name, e.getMessage());
            return false;
        }
    }

    /** Closes the connection and the JNDI context, then lets go of the provider's loader; a second stop is harmless. */
    @Override
    public void stop() {
        stopped = true;
        try {
            withProvider(() -> {
                disconnect();
                closeJndi();
                return null;
            });
        } finally {
            if (lease != null) {
                lease.close();
            }
        }
    }

    private void closeJndi() {
        if (jndi != null) {
            try {
                jndi.close();
            } catch (NamingException e) {
                LOG.warn("{}: closing the JNDI context failed", name, e);
            }
            jndi = null;
        }
    }

    @Override
    public long backoffSleepIncrement() {
        return settings.backoffSleepIncrement();
    }

    @Override
    public long maxBackoffSleep() {
        return settings.maxBackoffSleep();
    }

    /** Runs a call into the provider with its class loader as the thread context class loader. */
    private <T, E extends Exception> T withProvider(ProviderCall<T, E> call) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(providerLoader);
        try {
            return call.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @FunctionalInterface
    private interface ProviderCall<T, E extends Exception> {
        T call() throws E;
    }

    /** A warning at most every ten seconds per source: a broker that is down or a flood of bad messages never floods the log. */
    private void warn(String format, Object... arguments) {
        long now = System.nanoTime();
        if (now - nextWarning < 0) {
            suppressedWarnings++;
            return;
        }
        nextWarning = now + WARNING_INTERVAL_NANOS;
        if (suppressedWarnings > 0) {
            LOG.warn(format + " ({} more warnings in the last 10 s were not logged)",
                    append(arguments, suppressedWarnings));
            suppressedWarnings = 0;
        } else {
            LOG.warn(format, arguments);
        }
    }

    private static Object[] append(Object[] arguments, Object last) {
        Object[] all = java.util.Arrays.copyOf(arguments, arguments.length + 1);
        all[arguments.length] = last;
        return all;
    }

    /** For tests: the class loader of its provider. */
    ClassLoader providerLoader() {
        return providerLoader;
    }

    /** For tests: the consumer's current connection, or null. */
    JmsConsumer consumer() {
        return consumer;
    }
}
