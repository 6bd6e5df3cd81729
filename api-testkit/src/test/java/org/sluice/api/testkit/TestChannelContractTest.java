package org.sluice.api.testkit;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.testkit.channel.ChannelContract;

/**
 * The kit's own channel keeps the contract; this is also the smallest example of a channel plugin's contract
 * test: a factory, the keys that bound the channel, and nothing else.
 */
class TestChannelContractTest extends ChannelContract {

    /** The factory a plugin would register for TestChannel. */
    static final class TestChannelFactory implements ChannelFactory {
        @interface Config {
            int capacity() default 100;
        }

        @Override
        public Class<?> configurationType() {
            return Config.class;
        }

        @Override
        public Channel create(ChannelContext context) throws ConfigurationException {
            return new TestChannel(context.componentName(), context.config(Config.class).capacity(),
                    context.counter());
        }
    }

    @Override
    protected ChannelFactory factory() {
        return new TestChannelFactory();
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
