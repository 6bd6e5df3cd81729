package org.sluice.channel.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.support.collections.LongRing;

/**
 * The channel's database: the Derby engine embedded in this bundle, the schema, and a bounded pool of
 * connections ({@code maximum.connections}), each with its prepared statements.
 *
 * <p>Tables (schema {@code SLUICE}), shared by every channel that uses the same database, each channel's rows
 * keyed by {@code <agent>.<channel>}:
 * <pre>
 * EVENTS  (CHANNEL VARCHAR(255), SEQ BIGINT, HEADER_COUNT INT, BODY BLOB)        primary key (CHANNEL, SEQ)
 * HEADERS (CHANNEL VARCHAR(255), SEQ BIGINT, POS INT, NAME VARCHAR, VALUE VARCHAR)  index (CHANNEL, SEQ),
 *                                                   foreign key (CHANNEL, SEQ) references EVENTS
 * </pre>
 * {@code SEQ} is the channel's own sequence, given at put commit, so the rows' order is the queue's order.
 */
final class Database {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcChannel.LOGGER);

    /** The longest a transaction waits for a free connection before its put, take or commit fails. */
    static final long CONNECTION_WAIT_SECONDS = 10;
    /** How long stop() waits for transactions to give their connections back before shutting Derby down. */
    static final long STOP_WAIT_SECONDS = 5;
    /** Derby's VARCHAR maximum, the longest header name or value the HEADERS table holds. */
    static final int MAX_HEADER_CHARS = 32672;
    static final int MAX_KEY_CHARS = 255;

    private static final String SCHEMA = "SLUICE";
    private static final String[] CREATE_TABLES = {
        "CREATE TABLE SLUICE.EVENTS (CHANNEL VARCHAR(255) NOT NULL, SEQ BIGINT NOT NULL, "
            + "HEADER_COUNT INT NOT NULL, BODY BLOB(2147483647) NOT NULL, PRIMARY KEY (CHANNEL, SEQ))",
        "CREATE TABLE SLUICE.HEADERS (CHANNEL VARCHAR(255) NOT NULL, SEQ BIGINT NOT NULL, POS INT NOT NULL, "
            + "NAME VARCHAR(32672) NOT NULL, VALUE VARCHAR(32672) NOT NULL)",
    };
    private static final String CREATE_INDEX = "CREATE INDEX SLUICE.HEADERS_OF_EVENT ON SLUICE.HEADERS (CHANNEL, SEQ)";
    private static final String CREATE_FOREIGN_KEY = "ALTER TABLE SLUICE.HEADERS ADD CONSTRAINT SLUICE.HEADERS_EVENT "
            + "FOREIGN KEY (CHANNEL, SEQ) REFERENCES SLUICE.EVENTS (CHANNEL, SEQ)";

    /**
     * Databases this bundle's Derby engine has booted, with the channels using each. Static because the
     * engine is one per class loader: the last channel of a database shuts it down, so that the instance
     * that replaces it after a bundle update (a new class loader, a new engine) can boot it, which Derby
     * refuses while another engine in the JVM holds it.
     */
    private static final Map<String, Set<String>> BOOTED = new HashMap<>();

    /** What the factory read from the configuration. */
    record Settings(String driverClass, String url, Properties connectionProperties, boolean createSchema,
            boolean createIndex, boolean createForeignKey, int isolation, int maximumConnections) {
    }

    private final String channelName;
    private final String key;
    private final Settings settings;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Session> idle = new ConcurrentLinkedDeque<>();
    private Driver driver;
    private volatile boolean closed;

    Database(String channelName, String key, Settings settings) {
        this.channelName = channelName;
        this.key = key;
        this.settings = settings;
        this.permits = new Semaphore(settings.maximumConnections(), true);
    }

    /** Boots the database, makes or checks the schema, and returns this channel's sequence numbers in order. */
    LongRing open() throws SQLException {
        String base = baseUrl(settings.url());
        synchronized (BOOTED) {
            Set<String> users = BOOTED.get(base);
            if (users != null && users.contains(key)) {
                throw new ChannelException("jdbc channel " + channelName + ": another channel instance named "
                        + key + " is using " + base + "; two channels of one name cannot share a database");
            }
            BOOTED.computeIfAbsent(base, b -> new HashSet<>()).add(key);
        }
        try {
            driver = loadDriver();
            Connection connection = connect();
            try {
                prepareSchema(connection);
                // Statements are prepared only now: they name the tables, which may have just been created.
                Session session = new Session(connection);
                // A Flume jdbc channel's events in this database become this channel's, in this transaction.
                int tookOver = FlumeTables.takeOver(connection, session, channelName, key);
                connection.commit();
                if (tookOver > 0) {
                    LOG.info("Channel {}: took over {} events of Flume's jdbc channel {} from its tables FLUME.* in {}",
                            channelName, tookOver, channelName, baseUrl(settings.url()));
                }
                LongRing queue = new LongRing();
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT SEQ FROM SLUICE.EVENTS WHERE CHANNEL = ? ORDER BY SEQ")) {
                    select.setString(1, key);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            queue.addLast(rows.getLong(1));
                        }
                    }
                }
                connection.commit();
                idle.push(session);
                return queue;
            } catch (SQLException | RuntimeException e) {
                discard(connection, e);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            release(base);
            throw e;
        }
    }

    private Driver loadDriver() {
        try {
            // The driver is one of the classes of this bundle (Derby is embedded), so it is loaded by this
            // bundle's class loader and used directly rather than through DriverManager, which checks the
            // caller's class loader and would not see it.
            return (Driver) Class.forName(settings.driverClass(), true, Database.class.getClassLoader())
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            throw new ChannelException("jdbc channel " + channelName + ": driver.class " + settings.driverClass()
                    + " cannot be loaded from the channel's bundle (it embeds Apache Derby only)", e);
        }
    }

    private void prepareSchema(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        boolean events;
        boolean headers;
        try (ResultSet tables = meta.getTables(null, SCHEMA, "EVENTS", null)) {
            events = tables.next();
        }
        try (ResultSet tables = meta.getTables(null, SCHEMA, "HEADERS", null)) {
            headers = tables.next();
        }
        if (events && headers) {
            return;
        }
        if (!settings.createSchema()) {
            throw new ChannelException("jdbc channel " + channelName + ": the database " + baseUrl(settings.url())
                    + " has no tables SLUICE.EVENTS and SLUICE.HEADERS and create.schema is false");
        }
        try (Statement ddl = connection.createStatement()) {
            try (ResultSet schemas = meta.getSchemas(null, SCHEMA)) {
                if (!schemas.next()) {
                    ddl.execute("CREATE SCHEMA " + SCHEMA);
                }
            }
            if (!events) {
                ddl.execute(CREATE_TABLES[0]);
            }
            if (!headers) {
                ddl.execute(CREATE_TABLES[1]);
                if (settings.createIndex()) {
                    ddl.execute(CREATE_INDEX);
                }
                if (settings.createForeignKey()) {
                    ddl.execute(CREATE_FOREIGN_KEY);
                }
            }
        }
        connection.commit();
        LOG.info("Channel {}: created the tables SLUICE.EVENTS and SLUICE.HEADERS in {}", channelName,
                baseUrl(settings.url()));
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.putAll(settings.connectionProperties());
        Thread thread = Thread.currentThread();
        ClassLoader caller = thread.getContextClassLoader();
        // Derby's first connect boots the engine and starts its daemon threads, which inherit this thread's
        // context class loader: make it this bundle's, so they pin no other bundle's loader after an update.
        thread.setContextClassLoader(Database.class.getClassLoader());
        try {
            Connection connection = driver.connect(settings.url(), properties);
            if (connection == null) {
                throw new ChannelException("jdbc channel " + channelName + ": driver.class " + settings.driverClass()
                        + " does not accept driver.url " + settings.url());
            }
            try {
                connection.setAutoCommit(false);
                connection.setTransactionIsolation(settings.isolation());
                return connection;
            } catch (SQLException | RuntimeException e) {
                closeQuietlyAfter(connection, e);
                throw e;
            }
        } finally {
            thread.setContextClassLoader(caller);
        }
    }

    /** A connection for one transaction; waits up to {@link #CONNECTION_WAIT_SECONDS} when all are in use. */
    Session borrow() {
        if (closed) {
            throw new ChannelException("jdbc channel " + channelName + " is stopped");
        }
        try {
            if (!permits.tryAcquire(CONNECTION_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new ChannelException("jdbc channel " + channelName + ": all maximum.connections = "
                        + settings.maximumConnections() + " database connections stayed in use for "
                        + CONNECTION_WAIT_SECONDS + " s; raise maximum.connections or use fewer threads");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelException("jdbc channel " + channelName + ": interrupted waiting for a connection", e);
        }
        Session session = idle.poll();
        if (session != null) {
            return session;
        }
        Connection connection = null;
        try {
            connection = connect();
            return new Session(connection);
        } catch (SQLException | RuntimeException e) {
            if (connection != null) {
                discard(connection, e);
            }
            permits.release();
            throw new ChannelException("jdbc channel " + channelName + ": cannot connect to " + settings.url(), e);
        }
    }

    /** Gives a borrowed connection back; a broken one, or any after stop, is closed instead. */
    void giveBack(Session session, boolean broken) {
        try {
            if (broken || closed) {
                discard(session.connection, null);
            } else {
                idle.push(session);
                if (closed && idle.remove(session)) {
                    // stop() ran between the check and the push and did not see this one.
                    discard(session.connection, null);
                }
            }
        } finally {
            permits.release();
        }
    }

    /**
     * Closes the connections and, when this was the last channel using the database, shuts the database
     * down (and the engine, when it was the last database), which flushes and releases Derby's lock.
     */
    void close() {
        closed = true;
        for (Session session; (session = idle.poll()) != null; ) {
            discard(session.connection, null);
        }
        try {
            if (!permits.tryAcquire(settings.maximumConnections(), STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("Channel {}: transactions still hold database connections after {} s; shutting the "
                        + "database down under them (their uncommitted work is rolled back)", channelName,
                        STOP_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Session session; (session = idle.poll()) != null; ) {
            discard(session.connection, null);
        }
        if (driver != null) {
            release(baseUrl(settings.url()));
        }
    }

    private void release(String base) {
        boolean lastOfDatabase;
        boolean lastOfEngine;
        synchronized (BOOTED) {
            Set<String> users = BOOTED.get(base);
            if (users == null || !users.remove(key)) {
                return;
            }
            lastOfDatabase = users.isEmpty();
            if (lastOfDatabase) {
                BOOTED.remove(base);
            }
            lastOfEngine = BOOTED.isEmpty();
            if (driver == null || !base.startsWith("jdbc:derby:") || base.startsWith("jdbc:derby://")) {
                return;
            }
            // Under the lock, so that no channel boots the database while it is being shut down.
            if (lastOfDatabase) {
                shutdown(base + ";shutdown=true", "08006", "database " + base);
            }
            if (lastOfEngine) {
                shutdown("jdbc:derby:;shutdown=true", "XJ015", "the Derby engine");
            }
        }
    }

    /** Derby reports a successful shutdown as an SQLException with a known state; anything else is a failure. */
    private void shutdown(String url, String expectedState, String what) {
        try {
            Connection connection = driver.connect(url, new Properties());
            if (connection != null) {
                connection.close();
            }
            LOG.warn("Channel {}: the shutdown of {} reported no outcome", channelName, what);
        } catch (SQLException e) {
            if (!expectedState.equals(e.getSQLState())) {
                LOG.error("Channel {}: the shutdown of {} failed; the next start may find it still booted",
                        channelName, what, e);
            }
        }
    }

    private void discard(Connection connection, Throwable cause) {
        try {
            // Derby refuses to close a connection whose transaction is open; nothing of it was committed.
            connection.rollback();
        } catch (SQLException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            } else {
                LOG.warn("Channel {}: rollback before closing a connection failed", channelName, e);
            }
        }
        closeQuietlyAfter(connection, cause);
    }

    private void closeQuietlyAfter(Connection connection, Throwable cause) {
        try {
            connection.close();
        } catch (SQLException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            } else {
                LOG.warn("Channel {}: closing a database connection failed", channelName, e);
            }
        }
    }

    /** The URL without its attributes ({@code ;create=true}): the name of the database. */
    static String baseUrl(String url) {
        int semicolon = url.indexOf(';');
        return semicolon < 0 ? url : url.substring(0, semicolon);
    }

    /** One connection and its statements; used by one transaction at a time. */
    final class Session {
        final Connection connection;
        private final PreparedStatement insertEvent;
        private final PreparedStatement insertHeader;
        private final PreparedStatement selectEvent;
        private final PreparedStatement selectHeaders;
        private final PreparedStatement deleteHeaders;
        private final PreparedStatement deleteEvent;

        Session(Connection connection) throws SQLException {
            this.connection = connection;
            insertEvent = connection.prepareStatement(
                    "INSERT INTO SLUICE.EVENTS (CHANNEL, SEQ, HEADER_COUNT, BODY) VALUES (?, ?, ?, ?)");
            insertHeader = connection.prepareStatement(
                    "INSERT INTO SLUICE.HEADERS (CHANNEL, SEQ, POS, NAME, VALUE) VALUES (?, ?, ?, ?, ?)");
            selectEvent = connection.prepareStatement(
                    "SELECT HEADER_COUNT, BODY FROM SLUICE.EVENTS WHERE CHANNEL = ? AND SEQ = ?");
            selectHeaders = connection.prepareStatement(
                    "SELECT NAME, VALUE FROM SLUICE.HEADERS WHERE CHANNEL = ? AND SEQ = ? ORDER BY POS");
            deleteHeaders = connection.prepareStatement("DELETE FROM SLUICE.HEADERS WHERE CHANNEL = ? AND SEQ = ?");
            deleteEvent = connection.prepareStatement("DELETE FROM SLUICE.EVENTS WHERE CHANNEL = ? AND SEQ = ?");
        }

        /** Writes {@code events} as sequence numbers {@code first, first + 1, ...}; not committed. */
        void insert(long first, List<Event> events) throws SQLException {
            boolean anyHeaders = false;
            long seq = first;
            for (Event event : events) {
                Map<String, String> headers = event.getHeaders();
                insertEvent.setString(1, key);
                insertEvent.setLong(2, seq);
                insertEvent.setInt(3, headers.size());
                insertEvent.setBytes(4, event.getBody());
                insertEvent.addBatch();
                int pos = 0;
                for (Map.Entry<String, String> header : headers.entrySet()) {
                    insertHeader.setString(1, key);
                    insertHeader.setLong(2, seq);
                    insertHeader.setInt(3, pos++);
                    insertHeader.setString(4, header.getKey());
                    insertHeader.setString(5, header.getValue());
                    insertHeader.addBatch();
                    anyHeaders = true;
                }
                seq++;
            }
            // Events first: the headers' foreign key refers to them.
            insertEvent.executeBatch();
            if (anyHeaders) {
                insertHeader.executeBatch();
            }
        }

        /** The event of sequence number {@code seq}, or null if its row is not there. */
        Event load(long seq) throws SQLException {
            int headerCount;
            byte[] body;
            selectEvent.setString(1, key);
            selectEvent.setLong(2, seq);
            try (ResultSet row = selectEvent.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                headerCount = row.getInt(1);
                body = row.getBytes(2);
            }
            Map<String, String> headers = new HashMap<>(Math.max(4, headerCount * 2));
            if (headerCount > 0) {
                selectHeaders.setString(1, key);
                selectHeaders.setLong(2, seq);
                try (ResultSet rows = selectHeaders.executeQuery()) {
                    while (rows.next()) {
                        headers.put(rows.getString(1), rows.getString(2));
                    }
                }
                if (headers.size() != headerCount) {
                    throw new SQLException("event " + seq + " of channel " + key + " has " + headers.size()
                            + " header rows, its event row says " + headerCount + ": the database was altered");
                }
            }
            return EventBuilder.withBody(body, headers);
        }

        /** Deletes the rows of {@code seqs[0..count)}; not committed. */
        void delete(long[] seqs, int count, boolean[] hasHeaders) throws SQLException {
            if (count == 0) {
                return;
            }
            boolean anyHeaders = false;
            for (int i = 0; i < count; i++) {
                if (hasHeaders[i]) {
                    deleteHeaders.setString(1, key);
                    deleteHeaders.setLong(2, seqs[i]);
                    deleteHeaders.addBatch();
                    anyHeaders = true;
                }
                deleteEvent.setString(1, key);
                deleteEvent.setLong(2, seqs[i]);
                deleteEvent.addBatch();
            }
            // Headers first: their foreign key refers to the events.
            if (anyHeaders) {
                deleteHeaders.executeBatch();
            }
            int[] deleted = deleteEvent.executeBatch();
            for (int i = 0; i < deleted.length; i++) {
                if (deleted[i] == 0) {
                    throw new SQLException("event " + seqs[i] + " of channel " + key
                            + " was no longer in the database at its take's commit");
                }
            }
        }
    }
}
