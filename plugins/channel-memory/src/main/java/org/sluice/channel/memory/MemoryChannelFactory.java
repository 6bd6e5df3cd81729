package org.sluice.channel.memory;

import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.DefaultWhenUnparsable;
import org.sluice.api.component.Range;
import org.sluice.api.component.SluiceType;

/** Flume's {@code memory} channel. */
@Component(service = ChannelFactory.class)
@SluiceType({"memory", "org.apache.flume.channel.MemoryChannel", "org.sluice.channel.memory.MemoryChannel"})
public class MemoryChannelFactory implements ChannelFactory {

    /** {@link Config#byteCapacity()}'s default: Flume's, 80 % of the JVM's maximum heap. */
    public static final long HEAP_SHARE_BYTE_CAPACITY = -1L;

    /** Flume's keys and defaults. */
    public @interface Config {
        /** Events the channel holds at most; a value that is not a positive number is 100, as in Flume. */
        @DefaultWhenUnparsable
        @Range(min = 1, fallBack = true)
        int capacity() default 100;

        /** Events one transaction puts or takes at most; not a positive number: 100, as in Flume. */
        @DefaultWhenUnparsable
        @Range(min = 1, fallBack = true)
        int transactionCapacity() default 100;

        /**
         * Bytes of event bodies the channel holds at most, before the buffer percentage is taken off. The
         * default, {@value MemoryChannelFactory#HEAP_SHARE_BYTE_CAPACITY}, means 80 % of the JVM's maximum
         * heap, as in Flume; a value that leaves less than 100 bytes (0, for example) means no limit, as in
         * Flume.
         */
        @DefaultWhenUnparsable
        long byteCapacity() default HEAP_SHARE_BYTE_CAPACITY;

        /** Percent of byteCapacity kept free for headers and overhead, which are not counted. */
        @DefaultWhenUnparsable
        @Range(min = 0, max = 100)
        int byteCapacityBufferPercentage() default 20;

        /** Seconds a put commit waits for room. */
        @DefaultWhenUnparsable
        @Range(min = 0)
        int keep$_$alive() default 3;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Channel create(ChannelContext context) throws ConfigurationException {
        // The rules of single keys are on Config, where validate applies them too; this one involves two keys.
        Config config = context.config(Config.class);
        if (config.transactionCapacity() > config.capacity()) {
            throw context.configurationError("transactionCapacity", "must not exceed capacity ("
                    + config.capacity() + "), was " + config.transactionCapacity());
        }
        long byteCapacity = config.byteCapacity() == HEAP_SHARE_BYTE_CAPACITY
                ? (long) (Runtime.getRuntime().maxMemory() * 0.8)
                : config.byteCapacity();
        EventStore store = new EventStore(context.componentName(), config.capacity(),
                byteCapacitySlots(byteCapacity, config.byteCapacityBufferPercentage()),
                TimeUnit.SECONDS.toNanos(config.keep$_$alive()), context.counter());
        return new MemoryChannel(context.componentName(), store, config.transactionCapacity());
    }

    /** Flume's arithmetic: the bytes less the buffer percentage, in 100-byte slots; under one slot, no limit. */
    static long byteCapacitySlots(long byteCapacity, int bufferPercentage) {
        long slots = (long) (byteCapacity * (1 - bufferPercentage * 0.01) / EventStore.BYTES_PER_SLOT);
        return slots < 1 ? Long.MAX_VALUE : slots;
    }
}
