package org.sluice.platform.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.component.ComponentFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkFactory;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceFactory;
import org.sluice.platform.config.LaunchSettings;
import org.sluice.platform.config.OneShotCommand;
import org.sluice.platform.runtime.StandaloneComponents;

/**
 * {@code sluice.mode=avro-client}: Flume's {@code flume-ng avro-client}, published as a {@code Callable<Integer>}
 * with {@code sluice.command=avro-client}; the launcher calls it once and exits with its result: 0 every event was
 * delivered, 1 not (or a plugin it needs is missing), 2 its settings are wrong. The sink, the channel between and a
 * spooling directory's source come from the installed plugins, found by type in the service registry.
 */
@Component(immediate = true, service = {})
public final class AvroClientCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(AvroClientCommand.class);

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    /** How long a plugin the client needs may take to appear while the framework starts. */
    static final long PLUGIN_WAIT_SECONDS = 30;
    private static final String AGENT = "avro-client";

    private BundleContext context;
    private final OneShotCommand registration = new OneShotCommand();
    private final InputStream input;
    private final PrintStream messages;

    public AvroClientCommand() {
        this(System.in, System.err);
    }

    AvroClientCommand(InputStream input, PrintStream messages) {
        this.input = input;
        this.messages = messages;
    }

    @Activate
    void activate(BundleContext bundleContext) {
        context = bundleContext;
        registration.registerIfStartedFor(bundleContext, LaunchSettings.MODE_AVRO_CLIENT, this);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        AvroClientSettings settings;
        try {
            settings = AvroClientSettings.read(context::getProperty);
        } catch (AvroClientSettings.SettingsException e) {
            messages.println("avro-client: " + e.getMessage());
            return EXIT_USAGE;
        }
        return run(settings, new Plugins() {
            @Override
            public <F> F factory(Class<F> family, String type) throws InterruptedException {
                return waitFor(family, type);
            }
        });
    }

    /** Where the client's components come from: the registry, or a test's factories. */
    interface Plugins {
        /** The factory of {@code type}, or null when no plugin provides it. */
        <F> F factory(Class<F> family, String type) throws InterruptedException;
    }

    int run(AvroClientSettings settings, Plugins plugins) throws InterruptedException, IOException {
        SinkFactory sinkFactory = plugins.factory(SinkFactory.class, settings.sinkType());
        ChannelFactory channelFactory = plugins.factory(ChannelFactory.class, "memory");
        SourceFactory sourceFactory = settings.dirname() == null ? null
                : plugins.factory(SourceFactory.class, "spooldir");
        if (sinkFactory == null || channelFactory == null || (settings.dirname() != null && sourceFactory == null)) {
            messages.println("avro-client: the " + (sinkFactory == null ? settings.sinkType() + " sink"
                    : channelFactory == null ? "memory channel" : "spooldir source") + " is not installed (deploy/)");
            return EXIT_FAILED;
        }
        Path dataRoot = Files.createTempDirectory("sluice-avro-client");
        Channel channel = null;
        Sink sink = null;
        Source source = null;
        AvroClient client = null;
        try {
            channel = StandaloneComponents.channel(channelFactory, AGENT, "c1",
                    Map.of("type", "memory", "capacity", "1000", "transactionCapacity", "1000"), dataRoot);
            channel.start();
            sink = StandaloneComponents.sink(sinkFactory, AGENT, "k1", settings.sinkKeys(), dataRoot, channel);
            sink.start();
            client = new AvroClient(settings, channel, sink);
            LOG.info("avro-client: sending {} to {} ({})", settings.dirname() != null ? "the files of "
                    + settings.dirname() : settings.file() != null ? settings.file() : "standard input",
                    settings.target(), AvroClient.describe(settings.headers()));
            if (settings.dirname() != null) {
                source = StandaloneComponents.source(sourceFactory, AGENT, "r1", Map.of("type", "spooldir",
                        "spoolDir", settings.dirname().toString(), "channels", "c1"), dataRoot,
                        client.deliverEachBatch());
                source.start();
                client.awaitDirectorySent(settings.dirname(), source);
            } else if (settings.file() != null) {
                try (InputStream in = Files.newInputStream(settings.file())) {
                    client.sendLines(in, batchSize(settings));
                }
            } else {
                client.sendLines(input, batchSize(settings));
            }
            messages.println("avro-client: sent " + client.delivered() + " events to " + settings.target());
            return EXIT_OK;
        } catch (ConfigurationException e) {
            messages.println("avro-client: " + e.getMessage());
            return EXIT_USAGE;
        } catch (EventDeliveryException e) {
            messages.println("avro-client: " + e.getMessage() + (e.getCause() == null ? ""
                    : ": " + e.getCause().getMessage()) + "; " + (client == null ? 0 : client.delivered())
                    + " events were delivered before");
            return EXIT_FAILED;
        } catch (IOException e) {
            messages.println("avro-client: " + e.getMessage() + "; " + (client == null ? 0 : client.delivered())
                    + " events were delivered");
            return EXIT_FAILED;
        } catch (Exception e) {
            messages.println("avro-client: failed: " + e);
            LOG.error("avro-client failed", e);
            return EXIT_FAILED;
        } finally {
            stopQuietly(source);
            stopQuietly(sink);
            stopQuietly(channel);
            deleteRecursively(dataRoot);
        }
    }

    private static int batchSize(AvroClientSettings settings) {
        String value = settings.sinkKeys().get("batch-size");
        try {
            return value == null ? 100 : Math.max(1, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    private <F> F waitFor(Class<F> family, String type) throws InterruptedException {
        String filter = "(&(" + Constants.OBJECTCLASS + "=" + family.getName() + ")(" + ComponentFactory.TYPE + "="
                + type + "))";
        ServiceTracker<F, F> tracker;
        try {
            tracker = new ServiceTracker<>(context, context.createFilter(filter), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("not a type name: " + type, e);
        }
        tracker.open();
        // The tracker stays open: closing it would release the factory while its components run.
        return tracker.waitForService(TimeUnit.SECONDS.toMillis(PLUGIN_WAIT_SECONDS));
    }

    private static void stopQuietly(org.sluice.api.component.Lifecycle component) {
        if (component == null) {
            return;
        }
        try {
            component.stop();
        } catch (RuntimeException e) {
            LOG.warn("avro-client: stopping {} failed", component, e);
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("avro-client: could not remove {}", root, e);
        }
    }
}
