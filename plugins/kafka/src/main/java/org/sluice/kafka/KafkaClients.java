package org.sluice.kafka;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import javax.security.auth.login.Configuration;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;

/**
 * Creates and closes the Kafka clients of this bundle. The client loads classes its settings name (partition
 * assignors, partitioners, interceptors, SASL login modules and callback handlers, config providers) through the
 * thread context class loader, which on a platform thread is not this bundle's: around creation it is set to this
 * bundle's class loader, which sees the embedded client, and put back after. The threads the client starts inherit
 * it and end with the client. Keys are strings and values bytes, as in Flume, with the (de)serializers given as
 * objects.
 */
public final class KafkaClients {
    private static final ClassLoader BUNDLE = KafkaClients.class.getClassLoader();

    private KafkaClients() {
    }

    public static Producer<String, byte[]> producer(Map<String, Object> settings) {
        loadJaasFileIfNeeded(settings);
        return withBundleLoader(() -> new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer()));
    }

    public static Consumer<String, byte[]> consumer(Map<String, Object> settings) {
        loadJaasFileIfNeeded(settings);
        return withBundleLoader(() -> new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer()));
    }

    /**
     * A SASL client without {@code sasl.jaas.config} logs in with the {@code KafkaClient} section of the JAAS file
     * named by {@code java.security.auth.login.config}, as Flume's guide sets it up. The JDK reads that file through a
     * class of its own ({@code sun.security.provider.ConfigFile}) that it loads, once per JVM, through the thread
     * context class loader; this bundle's loader cannot see it (the system bundle exports the JDK's public packages
     * only), so with the context loader set to this bundle's the login fails with a ClassNotFoundException. Loaded
     * here first, with the system class loader as the context loader; later look-ups find it loaded.
     */
    private static void loadJaasFileIfNeeded(Map<String, Object> settings) {
        Object protocol = settings.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        if (protocol == null || !protocol.toString().trim().toUpperCase(Locale.ROOT).startsWith("SASL_")
                || settings.get(SaslConfigs.SASL_JAAS_CONFIG) != null) {
            return;
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ClassLoader.getSystemClassLoader());
        try {
            Configuration.getConfiguration();
        } catch (SecurityException e) {
            throw new KafkaException("no sasl.jaas.config, and the JAAS file (java.security.auth.login.config = "
                    + System.getProperty("java.security.auth.login.config") + ") cannot be read", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * The messages of a client failure and of its causes, joined: "Failed to construct kafka producer" alone does not
     * say that the Kerberos login or the trust store failed, its causes do. Repeated messages are left out.
     */
    public static String reasons(Throwable failure) {
        StringBuilder text = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank() && text.indexOf(message) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(message);
            }
        }
        return text.length() == 0 ? failure.getClass().getName() : text.toString();
    }

    /** Runs {@code action} with this bundle's class loader as the thread's context class loader. */
    public static <T> T withBundleLoader(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(BUNDLE);
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Closes a producer, waiting up to {@code timeout} for what it still has to send; whatever is left then is
     * dropped (its transaction was not committed, so it is still in the channel). Never throws.
     */
    public static void close(Producer<?, ?> producer, Duration timeout, Logger log, String who) {
        if (producer == null) {
            return;
        }
        try {
            withBundleLoader(() -> {
                producer.close(timeout);
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("{}: closing its Kafka producer failed", who, e);
        }
    }

    /** Closes a consumer, leaving its group (so its partitions go to the others at once). Never throws. */
    public static void close(Consumer<?, ?> consumer, Duration timeout, Logger log, String who) {
        if (consumer == null) {
            return;
        }
        try {
            withBundleLoader(() -> {
                consumer.close(CloseOptions.timeout(timeout));
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("{}: closing its Kafka consumer failed", who, e);
        }
    }
}
