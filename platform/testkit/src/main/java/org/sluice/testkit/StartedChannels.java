package org.sluice.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.channel.ChannelFactory;

/**
 * The channels a test starts, stopped after it (a field with {@code @RegisterExtension}): each channel {@code c1}
 * made by one factory from the test class's defaults with a test's own keys over them, as an agent restarted with
 * an edited configuration would make it.
 */
public final class StartedChannels<C extends Channel> implements AutoCloseable, AfterEachCallback {
    private final ChannelFactory factory;
    private final Class<C> type;
    private final Map<String, String> defaults;
    private final List<C> running = new ArrayList<>();
    private ChannelContext context;

    public StartedChannels(ChannelFactory factory, Class<C> type, Map<String, String> defaults) {
        this.factory = factory;
        this.type = type;
        this.defaults = Map.copyOf(defaults);
    }

    /** Makes channel {@code c1} with its data under {@code data} and starts it. */
    public C start(Path data, Map<String, String> overrides) throws Exception {
        Map<String, String> properties = new HashMap<>(defaults);
        properties.putAll(overrides);
        context = TestContexts.channel("c1", properties, data);
        C channel = type.cast(factory.create(context));
        channel.start();
        running.add(channel);
        return channel;
    }

    /** Stops the channel (as an agent stops it) before the test ends. */
    public void stop(C channel) {
        channel.stop();
        running.remove(channel);
    }

    /** Leaves the channel alone after the test: the test ended it itself, as a crash would. */
    public void forget(C channel) {
        running.remove(channel);
    }

    /** The context of the channel started last: its counters. */
    public ChannelContext context() {
        return context;
    }

    /** Stops everything after each test, when registered with {@code @RegisterExtension}. */
    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void close() {
        running.forEach(Channel::stop);
        running.clear();
    }
}
