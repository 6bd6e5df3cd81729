package org.sluice.source.jms;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.sluice.api.component.ConfigurationException;
import org.sluice.api.source.SourceContext;
import org.sluice.support.config.ConfigValues;

/** A jms source's configuration, checked: every value an error can name is checked here, naming its key. */
record JmsSettings(String initialContextFactory, String connectionFactory, String providerUrl,
                   String destinationName, DestinationType destinationType, boolean lookUpDestination,
                   String messageSelector, String userName, Path passwordFile, int batchSize, int errorThreshold,
                   long pollTimeout, String converterType, Charset charset, boolean durable,
                   String durableSubscriptionName, String clientId, long backoffSleepIncrement,
                   long maxBackoffSleep, ProviderClasspath providerClasspath, int maxEventSize, String deadLetterQueue) {

    static final String DEFAULT_CONVERTER = "DEFAULT";
    /** As the avro source's max-frame-size: far above any sensible event, far below what exhausts a heap. */
    static final int DEFAULT_MAX_EVENT_SIZE = 64 * 1024 * 1024;

    enum DestinationType { QUEUE, TOPIC }

    boolean defaultConverter() {
        return DEFAULT_CONVERTER.equalsIgnoreCase(converterType)
                || "org.apache.flume.source.jms.DefaultJMSMessageConverter$Builder".equals(converterType)
                || "org.apache.flume.source.jms.DefaultJMSMessageConverter".equals(converterType);
    }

    static JmsSettings read(SourceContext context, JmsSourceFactory.Config config,
                            ProviderClasspath.Defaults defaults) throws ConfigurationException {
        JndiNames jndi = JndiNames.fromSystemProperties();
        String factory = ConfigValues.nonEmpty(context, "initialContextFactory", config.initialContextFactory().trim());
        String providerUrl = ConfigValues.nonEmpty(context, "providerURL", config.providerURL().trim());
        jndi.checkProviderUrl(context, "providerURL", providerUrl);
        String connectionFactory = ConfigValues.nonEmpty(context, "connectionFactory",
                config.connectionFactory().trim());
        jndi.checkName(context, "connectionFactory", connectionFactory);
        String destinationName = ConfigValues.nonEmpty(context, "destinationName", config.destinationName().trim());
        DestinationType type = destinationType(context, config.destinationType());
        String locator = config.destinationLocator().trim().toUpperCase(Locale.ROOT);
        if (!locator.equals("CDI") && !locator.equals("JNDI")) {
            throw context.configurationError("destinationLocator",
                    "must be CDI or JNDI, was '" + config.destinationLocator() + "'");
        }
        boolean lookUp = locator.equals("JNDI");
        if (lookUp) {
            jndi.checkName(context, "destinationName", destinationName);
        }
        int batchSize = config.batchSize();
        int errorThreshold = config.errorThreshold();
        long pollTimeout = config.pollTimeout();
        Charset charset = ConfigValues.charset(context, "converter.charset", config.converter_charset());
        String clientId = config.clientId().trim();
        String subscription = config.durableSubscriptionName().trim();
        if (config.createDurableSubscription()) {
            if (type != DestinationType.TOPIC) {
                throw context.configurationError("createDurableSubscription",
                        "a durable subscription needs destinationType topic, was " + type.name().toLowerCase(Locale.ROOT));
            }
            if (clientId.isEmpty()) {
                throw context.configurationError("clientId", "is required with createDurableSubscription = true");
            }
            if (subscription.isEmpty()) {
                throw context.configurationError("durableSubscriptionName",
                        "is required with createDurableSubscription = true");
            }
        }
        Path passwordFile = null;
        if (!config.passwordFile().isBlank()) {
            passwordFile = Path.of(config.passwordFile().trim());
            if (!Files.isReadable(passwordFile)) {
                throw context.configurationError("passwordFile", "cannot read " + passwordFile);
            }
        }
        long increment = config.backoffSleepIncrement();
        long maxBackoff = config.maxBackoffSleep();
        int maxEventSize = config.maxEventSize();
        ProviderClasspath classpath = ProviderClasspath.of(context, "providerClasspath", config.providerClasspath(),
                defaults);
        return new JmsSettings(factory, connectionFactory, providerUrl, destinationName, type, lookUp,
                config.messageSelector().trim(), config.userName().trim(), passwordFile, batchSize, errorThreshold,
                pollTimeout, config.converter_type().trim(), charset, config.createDurableSubscription(), subscription,
                clientId, increment, maxBackoff, classpath, maxEventSize, config.deadLetterQueue().trim());
    }

    private static DestinationType destinationType(SourceContext context, String value)
            throws ConfigurationException {
        String name = value.trim().toUpperCase(Locale.ROOT);
        for (DestinationType type : DestinationType.values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        throw context.configurationError("destinationType", "must be queue or topic, was '" + value + "'");
    }
}
