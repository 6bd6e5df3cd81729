package org.sluice.api.channel;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A channel transaction, used by one thread from {@link #begin()} to {@link #close()}. The contract is
 * Flume's:
 * <ul>
 * <li>{@code begin()} once, then any puts or takes, then exactly one of {@code commit()} or
 * {@code rollback()}, then {@code close()} (always, in a finally block).</li>
 * <li>When {@code commit()} returns, the puts are visible to takers and the takes are gone for good; for a
 * durable channel both are on stable storage.</li>
 * <li>{@code rollback()} discards the puts and returns the takes to the channel, in their order.</li>
 * <li>If {@code commit()} throws, the caller must call {@code rollback()}; nothing of the transaction is
 * then kept.</li>
 * <li>{@code close()} without commit or rollback after a begin is a programming error and throws.</li>
 * </ul>
 */
@ConsumerType
public interface Transaction extends AutoCloseable {

    void begin();

    void commit();

    void rollback();

    @Override
    void close();
}
