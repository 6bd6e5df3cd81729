package org.sluice.api.channel;

import org.sluice.api.event.Event;

/**
 * A channel whose transactions are bound to the calling thread, like Flume's BasicChannelSemantics: put and
 * take act on the thread's open transaction, and getTransaction returns it until it is closed. Subclasses
 * create transactions in {@link #createTransaction()}.
 */
public abstract class AbstractChannel implements Channel {

    private final ThreadLocal<AbstractTransaction> current = new ThreadLocal<>();

    protected abstract AbstractTransaction createTransaction();

    @Override
    public Transaction getTransaction() {
        AbstractTransaction tx = current.get();
        if (tx == null || tx.state() == AbstractTransaction.State.CLOSED) {
            tx = createTransaction();
            current.set(tx);
        }
        return tx;
    }

    @Override
    public void put(Event event) throws ChannelException {
        open("put").put(event);
    }

    @Override
    public Event take() throws ChannelException {
        return open("take").take();
    }

    private AbstractTransaction open(String operation) {
        AbstractTransaction tx = current.get();
        if (tx == null || tx.state() != AbstractTransaction.State.OPEN) {
            throw new IllegalStateException(operation + "() outside a transaction: call getTransaction().begin() first");
        }
        return tx;
    }
}
