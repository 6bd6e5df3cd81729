package org.sluice.platform.config.source;

import java.io.Closeable;
import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One agent's whole configuration, the text of a Flume properties file, kept in a store that can say when it
 * changes (a znode of ZooKeeper). Registered as a service with the {@link #AGENT} property; the platform's bridge
 * for the agent the launcher was told to run ({@code sluice.agent.name}) picks it up, reads it at once, and again
 * whenever {@link #watch watched} changes are signalled or a reload is asked for (the shell's {@code sluice:reload},
 * SIGHUP).
 *
 * <p>A store that cannot be reached is not an empty configuration: {@link #read()} throws, and the bridge keeps
 * what runs.
 */
@ConsumerType
public interface AgentConfigurationSource {

    /** Service property: the name of the agent whose configuration this is. */
    String AGENT = "sluice.agent";

    /** Where the text is kept, for messages and to tag the configurations made from it; no credentials. */
    String location();

    /**
     * The bytes as the store holds them now, read from the store itself rather than from a copy. The platform reads
     * them as it reads a file's (UTF-8, and what is not UTF-8 as U+FFFD with a warning), so a configuration reads the
     * same wherever it is kept.
     *
     * @return the properties text's bytes; empty when the store holds an empty configuration
     * @throws IOException when it cannot be read now (the store is unreachable, the entry does not exist); the
     *                     message says which, for the agent's log
     */
    byte[] read() throws IOException;

    /**
     * Asks to be told when the text may have changed, or the store became reachable again; the listener then calls
     * {@link #read()}. Calls may be spurious and must be cheap: the listener only schedules a read.
     *
     * @return closing it ends the notifications
     */
    Closeable watch(Runnable changed);
}
