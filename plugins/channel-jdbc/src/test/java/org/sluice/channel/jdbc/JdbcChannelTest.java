package org.sluice.channel.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.api.testkit.ChannelTransactions.putBodies;
import static org.sluice.api.testkit.ChannelTransactions.takeAllBodies;
import static org.sluice.api.testkit.TextEvents.event;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.testkit.OtherThread;
import org.sluice.testkit.TestContexts;

/**
 * What only the JDBC channel does: where its database is, channels sharing one, schema creation, Flume's
 * sysprop and isolation keys, its keys' checks. The channel contract is in JdbcChannelContractTest, the
 * saved database of an earlier version in JdbcChannelSavedDatabaseTest.
 */
class JdbcChannelTest {
    @TempDir
    Path data;

    private final JdbcChannelFactory factory = new JdbcChannelFactory();
    private final List<JdbcChannel> running = new ArrayList<>();
    private ChannelContext context;

    @AfterEach
    void stopAll() {
        running.forEach(JdbcChannel::stop);
    }

    private JdbcChannel channel(Map<String, String> properties) throws Exception {
        return channel("c1", properties);
    }

    private JdbcChannel channel(String name, Map<String, String> properties) throws Exception {
        context = TestContexts.channel(name, properties, data);
        JdbcChannel channel = (JdbcChannel) factory.create(context);
        channel.start();
        running.add(channel);
        return channel;
    }

    @Test
    void theDefaultDatabaseIsUnderTheChannelsDataDirectory() throws Exception {
        JdbcChannel channel = channel(Map.of());
        putBodies(channel, "a");
        assertTrue(Files.isDirectory(data.resolve(TestContexts.AGENT).resolve("c1").resolve("db")));
    }

    @Test
    void channelsSharingADatabaseSeeOnlyTheirOwnEvents() throws Exception {
        // Two channels share one database (Flume's layout): each sees only its own rows.
        Path db = data.resolve("shared");
        Map<String, String> shared = Map.of("driver.url", "jdbc:derby:" + db + ";create=true");
        JdbcChannel one = channel("c1", shared);
        JdbcChannel two = channel("c2", shared);
        putBodies(one, "1a", "1b");
        putBodies(two, "2a");
        assertEquals(List.of("2a"), takeAllBodies(two, 100));
        assertEquals(List.of("1a", "1b"), takeAllBodies(one, 100));
    }

    @Test
    void createSchemaFalseOnAnEmptyDatabaseFailsTheStart() throws Exception {
        context = TestContexts.channel("c1", Map.of("create.schema", "false"), data);
        JdbcChannel channel = (JdbcChannel) factory.create(context);
        ChannelException e = assertThrows(ChannelException.class, channel::start);
        assertTrue(String.valueOf(e.getCause()).contains("create.schema") || e.getMessage().contains("create.schema"),
                e.toString());
        // The failed start released the database: a channel that may create the schema can open it.
        putBodies(channel(Map.of()), "a");
    }

    @Test
    void syspropUserHomeChoosesTheDefaultDatabaseAsFlumeDoes() throws Exception {
        Path home = data.resolve("home");
        String before = System.getProperty("user.home");
        JdbcChannel channel = channel(Map.of("sysprop.user.home", home.toString()));
        putBodies(channel, "a");
        assertTrue(Files.isDirectory(home.resolve(".flume").resolve("jdbc-channel").resolve("db")));
        assertEquals(before, System.getProperty("user.home"), "the JVM's user.home is left alone");
    }

    @Test
    void badValuesNameTheirKey() {
        assertKey("db.type", Map.of("db.type", "MYSQL"));
        assertKey("transaction.isolation", Map.of("transaction.isolation", "SOMETIMES"));
        assertKey("maximum.connections", Map.of("maximum.connections", "0"));
        assertKey("connection.properties.file", Map.of("connection.properties.file", data.resolve("nope").toString()));
    }

    @Test
    void aNegativeOrUnparsableCapacityIsNoLimitAndBadConnectionsTheDefaultAsInFlume() throws Exception {
        for (String capacity : List.of("-1", "lots")) {
            JdbcChannelFactory.Config config = TestContexts.channel("c1", Map.of("maximum.capacity", capacity,
                    "maximum.connections", "many"), data).config(JdbcChannelFactory.Config.class);
            assertEquals(0, config.maximum_capacity(), capacity);
            assertEquals(10, config.maximum_connections());
        }
        JdbcChannel channel = channel(Map.of("maximum.capacity", "-1", "maximum.connections", "many"));
        putBodies(channel, "a", "b");
        assertEquals(List.of("a", "b"), takeAllBodies(channel, 10));
    }

    @Test
    void anUnknownDriverClassFailsTheStartNamingTheKey() throws Exception {
        context = TestContexts.channel("c1", Map.of("driver.class", "com.example.NoSuchDriver"), data);
        JdbcChannel channel = (JdbcChannel) factory.create(context);
        ChannelException e = assertThrows(ChannelException.class, channel::start);
        assertTrue(e.getMessage().contains("driver.class"), e.getMessage());
    }

    @Test
    void everyIsolationLevelKeepsUncommittedPutsInvisible() throws Exception {
        for (String level : List.of("READ_UNCOMMITTED", "REPEATABLE_READ", "SERIALIZABLE")) {
            JdbcChannel channel = channel("c-" + level.toLowerCase(), Map.of("transaction.isolation", level));
            Transaction tx = channel.getTransaction();
            tx.begin();
            channel.put(event("x"));
            assertEquals(List.of(), OtherThread.call(() -> takeAllBodies(channel, 100)), level);
            tx.commit();
            tx.close();
            assertEquals(List.of("x"), OtherThread.call(() -> takeAllBodies(channel, 100)), level);
        }
    }

    private void assertKey(String key, Map<String, String> properties) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> factory.create(TestContexts.channel("c1", new HashMap<>(properties), data)));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

}
