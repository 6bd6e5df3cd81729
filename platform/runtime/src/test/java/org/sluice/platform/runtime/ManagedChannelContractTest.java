package org.sluice.platform.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.channel.Transaction;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.testkit.TestChannel;
import org.sluice.api.testkit.channel.ChannelContract;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.platform.tap.TapPoint;

/**
 * A channel as sources and sinks reach it in an agent keeps the channel contract: puts through the runtime's
 * {@link ManagedChannel}, transactions and takes through a sink's {@link SinkChannel}, which go straight to the
 * thread's transaction on the plugin's channel instead of looking it up per event.
 */
class ManagedChannelContractTest extends ChannelContract {

    /** Sources put through the shared ManagedChannel, a sink begins and takes through its SinkChannel. */
    private static final class AsInAnAgent implements Channel {
        private final Channel plugin;
        private final ManagedChannel managed;
        private final SinkChannel sinkView;

        AsInAnAgent(Channel plugin) {
            this.plugin = plugin;
            this.managed = new ManagedChannel("c1", plugin, ComponentCounters.forChannel("a1", "c1"), new TapPoint());
            this.sinkView = new SinkChannel(managed, new TapPoint());
        }

        @Override
        public void start() throws Exception {
            plugin.start();
        }

        @Override
        public void stop() {
            plugin.stop();
        }

        @Override
        public void put(Event event) throws ChannelException {
            managed.put(event);
        }

        @Override
        public Event take() throws ChannelException {
            return sinkView.take();
        }

        @Override
        public Transaction getTransaction() {
            return sinkView.getTransaction();
        }
    }

    /** The test kit's TestChannel, which keeps the contract, with the runtime tests' capacity key. */
    private static final class Factory implements ChannelFactory {
        @Override
        public Class<?> configurationType() {
            return TestPlugins.QueueChannelFactory.Config.class;
        }

        @Override
        public Channel create(ChannelContext context) throws ConfigurationException {
            int capacity = context.config(TestPlugins.QueueChannelFactory.Config.class).capacity();
            return new AsInAnAgent(new TestChannel(context.componentName(), capacity, context.counter()));
        }
    }

    @Override
    protected ChannelFactory factory() {
        return new Factory();
    }

    @Override
    protected Optional<Map<String, String>> capacity(int events) {
        return Optional.of(Map.of("capacity", Integer.toString(events)));
    }

    @Override
    protected Optional<Map<String, String>> transactionCapacity(int events) {
        return Optional.empty();
    }

    @Override
    protected Optional<Map<String, String>> keepAlive(int events, int seconds) {
        return Optional.empty();
    }

    @Override
    protected Duration takeWait() {
        return Duration.ZERO;
    }
}
