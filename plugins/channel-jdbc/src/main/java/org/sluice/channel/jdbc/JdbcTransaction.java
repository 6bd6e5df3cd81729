package org.sluice.channel.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.AbstractTransaction;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.event.Event;

/**
 * One thread's transaction on a JDBC channel. Puts are kept on the heap until commit, which inserts them
 * in one database transaction, so a put needs no connection and an abandoned transaction leaves nothing in
 * the database. Takes reserve the next sequence number from the channel's queue and read its row, holding a
 * connection from the first take to close; the commit deletes the taken rows.
 */
final class JdbcTransaction extends AbstractTransaction {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcChannel.LOGGER);

    private final JdbcChannel channel;
    private final Database database;
    private final String channelName;

    private final List<Event> puts = new ArrayList<>();
    private long[] taken = new long[16];
    private boolean[] takenHasHeaders = new boolean[16];
    private int takeCount;
    private Database.Session session;
    private boolean sessionBroken;

    JdbcTransaction(JdbcChannel channel, Database database, String channelName) {
        this.channel = channel;
        this.database = database;
        this.channelName = channelName;
    }

    @Override
    protected void doPut(Event event) {
        channel.checkRunning();
        for (Map.Entry<String, String> header : event.getHeaders().entrySet()) {
            if (header.getKey().length() > Database.MAX_HEADER_CHARS
                    || header.getValue().length() > Database.MAX_HEADER_CHARS) {
                throw new ChannelException("jdbc channel " + channelName + ": header '"
                        + header.getKey().substring(0, Math.min(64, header.getKey().length()))
                        + "' is longer than the " + Database.MAX_HEADER_CHARS + " characters a header name or "
                        + "value may have");
            }
        }
        puts.add(event);
    }

    @Override
    protected Event doTake() {
        while (true) {
            long seq = channel.reserve(takeCount == 0);
            if (seq < 0) {
                return null;
            }
            if (takeCount == taken.length) {
                taken = Arrays.copyOf(taken, takeCount * 2);
                takenHasHeaders = Arrays.copyOf(takenHasHeaders, takeCount * 2);
            }
            // Recorded before the read, so that a rollback gives it back whatever the read does.
            taken[takeCount++] = seq;
            Event event;
            try {
                event = session().load(seq);
            } catch (SQLException e) {
                sessionBroken = true;
                throw new ChannelException("jdbc channel " + channelName + ": reading event " + seq + " failed", e);
            }
            if (event != null) {
                takenHasHeaders[takeCount - 1] = !event.getHeaders().isEmpty();
                return event;
            }
            takeCount--;
            if (!channel.vanished(seq)) {
                // Giving it back would fail every take from now on; the loss is reported, not skipped quietly.
                LOG.error("Channel {}: event {} was committed but its row is no longer in the database: the "
                        + "event is lost (were the tables changed outside the channel?)", channelName, seq);
                throw new ChannelException("jdbc channel " + channelName + ": event " + seq + " is queued but its "
                        + "row is not in the database; the tables were changed outside the channel");
            }
            LOG.warn("Channel {}: event {} was taken by a commit that reported failure but completed; it is "
                    + "not delivered again", channelName, seq);
        }
    }

    private Database.Session session() {
        if (session == null) {
            session = database.borrow();
        }
        return session;
    }

    @Override
    protected void doCommit() {
        if (puts.isEmpty() && takeCount == 0) {
            return;
        }
        long first = puts.isEmpty() ? 0 : channel.admit(puts.size(), takeCount);
        boolean inCommitCall = false;
        try {
            Database.Session s = session();
            if (!puts.isEmpty()) {
                s.insert(first, puts);
            }
            s.delete(taken, takeCount, takenHasHeaders);
            inCommitCall = true;
            s.connection.commit();
        } catch (SQLException | RuntimeException e) {
            channel.commitFailed(puts.size(), taken, takeCount, inCommitCall);
            sessionBroken = inCommitCall;
            throw new ChannelException("jdbc channel " + channelName + ": the commit of " + puts.size()
                    + " puts and " + takeCount + " takes failed; roll the transaction back", e);
        }
        channel.committed(first, puts.size(), takeCount);
        puts.clear();
        takeCount = 0;
    }

    @Override
    protected void doRollback() {
        SQLException failure = null;
        if (session != null) {
            try {
                session.connection.rollback();
            } catch (SQLException e) {
                sessionBroken = true;
                failure = e;
            }
        }
        // Nothing of this transaction was committed, so its takes go back whatever the database said.
        channel.giveBack(taken, takeCount);
        puts.clear();
        takeCount = 0;
        if (failure != null) {
            throw new ChannelException("jdbc channel " + channelName + ": the database rollback failed; the "
                    + "connection is discarded", failure);
        }
    }

    @Override
    protected void doClose() {
        if (session != null) {
            Database.Session s = session;
            session = null;
            database.giveBack(s, sessionBroken);
        }
    }
}
