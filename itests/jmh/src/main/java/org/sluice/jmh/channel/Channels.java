package org.sluice.jmh.channel;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.flume.Context;
import org.apache.flume.conf.Configurables;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.channel.Transaction;
import org.sluice.api.event.Event;
import org.sluice.testkit.TestContexts;

/**
 * The channels under test, made from the same Flume properties for both: Sluice's through its factory and a
 * context as the platform makes it, Flume's through {@code Configurables.configure} as Flume's agent does. And the
 * transactions the benchmarks run on them, written the way a source and a sink use a channel.
 */
final class Channels {
    private Channels() {
    }

    static Channel sluice(ChannelFactory factory, Map<String, String> properties, Path dataRoot)
            throws Exception {
        Channel channel = factory.create(TestContexts.channel("c1", properties, dataRoot));
        channel.start();
        return channel;
    }

    static <C extends org.apache.flume.Channel> C flume(C channel, Map<String, String> properties) {
        channel.setName("c1");
        Configurables.configure(channel, new Context(properties));
        channel.start();
        return channel;
    }

    /** One transaction putting every event, as a source's batch. */
    static void put(Channel channel, List<Event> events) {
        Transaction tx = channel.getTransaction();
        tx.begin();
        try {
            for (Event event : events) {
                channel.put(event);
            }
            tx.commit();
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        } finally {
            tx.close();
        }
    }

    /** One transaction taking up to {@code max} events, as a sink's batch; the number taken. */
    static int take(Channel channel, int max) {
        Transaction tx = channel.getTransaction();
        tx.begin();
        try {
            int taken = 0;
            while (taken < max && channel.take() != null) {
                taken++;
            }
            tx.commit();
            return taken;
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        } finally {
            tx.close();
        }
    }

    static void put(org.apache.flume.Channel channel, List<org.apache.flume.Event> events) {
        org.apache.flume.Transaction tx = channel.getTransaction();
        tx.begin();
        try {
            for (org.apache.flume.Event event : events) {
                channel.put(event);
            }
            tx.commit();
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        } finally {
            tx.close();
        }
    }

    static int take(org.apache.flume.Channel channel, int max) {
        org.apache.flume.Transaction tx = channel.getTransaction();
        tx.begin();
        try {
            int taken = 0;
            while (taken < max && channel.take() != null) {
                taken++;
            }
            tx.commit();
            return taken;
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        } finally {
            tx.close();
        }
    }

    /** Fails the run if a put-then-take round did not give back every event. */
    static void checkRound(int taken, int expected, String variant) {
        if (taken != expected) {
            throw new IllegalStateException(variant + " took " + taken + " of the " + expected + " events it put");
        }
    }
}
