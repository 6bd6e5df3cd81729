package org.sluice.source.jms;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.Range;
import org.sluice.api.component.SluiceType;
import org.sluice.api.jms.JmsMessageConverterFactory;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.SourceFactory;

/**
 * Flume's {@code jms} source. The factory owns what its sources share: the converters other bundles provide, and
 * one class loader per provider class path (a provider's static thread pools then exist once, as in Flume's single
 * class path). When this bundle stops they are retired, and each closes once its sources stopped and its provider's
 * threads ended ({@link ProviderLoaders}).
 */
@Component(service = SourceFactory.class)
@SluiceType({"jms", "org.apache.flume.source.jms.JMSSource"})
public class JmsSourceFactory implements SourceFactory {

    /** Flume 1.11's keys and defaults, then Sluice's own. */
    public @interface Config {
        /** The provider's JNDI InitialContextFactory class, e.g. org.apache.activemq.jndi.ActiveMQInitialContextFactory. */
        String initialContextFactory();

        /** The JNDI name of the connection factory. */
        String connectionFactory() default "ConnectionFactory";

        /** The provider URL handed to JNDI. */
        String providerURL();

        String destinationName();

        /** queue or topic, in any case. */
        String destinationType();

        /** CDI: the session creates the destination by name; JNDI: it is looked up by name. */
        String destinationLocator() default "CDI";

        String messageSelector() default "";

        String userName() default "";

        /** A file holding the password, trimmed; read at every connection. */
        String passwordFile() default "";

        @Range(min = 1)
        int batchSize() default 100;

        /** Consecutive JMS errors after which the connection is closed and made anew. */
        @Range(min = 0)
        int errorThreshold() default 10;

        /** Milliseconds the first receive of a batch waits for a message. */
        @Range(min = 0)
        long pollTimeout() default 1000L;

        String converter_type() default JmsSettings.DEFAULT_CONVERTER;

        String converter_charset() default "UTF-8";

        boolean createDurableSubscription() default false;

        String durableSubscriptionName() default "";

        String clientId() default "";

        /** Flume's pollable-source keys: the runner's pause after an empty poll grows by this, up to the next. */
        @Range(min = 0)
        long backoffSleepIncrement() default 1000L;

        @Range(min = 0)
        long maxBackoffSleep() default 5000L;

        /**
         * Sluice's: where the provider's jars are. Jar files and directories (their jars, and the directory itself
         * for resources such as jndi.properties), separated by commas or white space, relative ones under
         * SLUICE_HOME. Empty: Flume's places, SLUICE_HOME/plugins.d/{@literal *}/lib and libext, and the conf
         * directory.
         */
        String[] providerClasspath() default {};

        /** Sluice's: the largest event a message may become, body and headers, in bytes. */
        @Range(min = 1)
        int maxEventSize() default JmsSettings.DEFAULT_MAX_EVENT_SIZE;

        /**
         * Sluice's: a queue that messages the source rejects (too large, not convertible) are moved to, in the same
         * transaction. Empty: they are dropped, counted and logged.
         */
        String deadLetterQueue() default "";
    }

    private final ConverterRegistry converters = new ConverterRegistry();
    private final ProviderLoaders loaders = new ProviderLoaders();
    private volatile ProviderClasspath.Defaults defaults = ProviderClasspath.Defaults.NONE;

    @Activate
    void activate(BundleContext bundleContext) {
        defaults = ProviderClasspath.Defaults.of(property(bundleContext, "sluice.home"),
                property(bundleContext, "sluice.conf.dir"));
    }

    @Deactivate
    void deactivate() {
        loaders.closeAll();
    }

    private static Path property(BundleContext bundleContext, String name) {
        String value = bundleContext.getProperty(name);
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindConverter(JmsMessageConverterFactory factory, Map<String, Object> properties) {
        converters.add(factory, properties);
    }

    void unbindConverter(JmsMessageConverterFactory factory) {
        converters.remove(factory);
    }

    /** For tests outside a framework: where SLUICE_HOME and the conf directory are. */
    JmsSourceFactory withDefaults(ProviderClasspath.Defaults defaults) {
        this.defaults = defaults;
        return this;
    }

    ConverterRegistry converters() {
        return converters;
    }

    ProviderLoaders loaders() {
        return loaders;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Set<String> openKeyPrefixes() {
        return Set.of("converter.");
    }

    @Override
    public Source create(SourceContext context) throws ConfigurationException {
        JmsSettings settings = JmsSettings.read(context, context.config(Config.class), defaults);
        return new JmsSource(context, settings, converters, loaders);
    }
}
