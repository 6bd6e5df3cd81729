package org.sluice.channel.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.testkit.ChannelTransactions;
import org.sluice.flumestate.FlumeJvm;
import org.sluice.flumestate.ScriptRun;
import org.sluice.testkit.FormatSamples;
import org.sluice.testkit.TestContexts;

/**
 * A Flume 1.11.0 jdbc channel's events taken over: the real Flume jdbc channel (embedded Derby at its default place,
 * {@code <sysprop.user.home>/.flume/jdbc-channel/db}) puts, takes, rolls back, leaves a take and a put open, and is
 * killed; Sluice's jdbc channel configured with the same keys delivers exactly the committed, untaken events, in
 * order, with their headers (large bodies and headers from Flume's spill tables among them), once. The saved database
 * ({@code saved/flume-1.11.0-jdbc-channel-db.zip}, written the same way) is checked without Flume at run time.
 */
class FlumeJdbcTakeoverTest {
    static final List<String> SCRIPT = List.of("put 1 10", "put 1000 1001", "put 11 15", "take 4", "take-rollback 2",
            "open-take 2", "put 16 20", "open-put 21 22", "hold");
    private static final String SAMPLE = "/saved/flume-1.11.0-jdbc-channel-db.zip";
    private static final String SAMPLE_EXPECTED = "/saved/flume-1.11.0-jdbc-channel-expected.txt";

    @TempDir
    Path temp;

    @Test
    void theEventsACrashedFlumeLeftInItsTablesAreDeliveredOnceInOrder() throws Exception {
        Path home = temp.resolve("home");
        ScriptRun flume = ScriptRun.run(FlumeJvm.JDBC_CHANNEL_SCRIPT, temp.resolve("flume"),
                Map.of("sysprop.user.home", home.toString()), SCRIPT);
        assertTakenOver(home, FormatSamples.describeLines(flume.expectedLines()));
    }

    @Test
    void theSavedDatabaseFlumeWroteIsTakenOver() throws Exception {
        Path home = temp.resolve("home");
        JdbcChannelSavedDatabaseTest.unzip(SAMPLE, home.resolve(".flume/jdbc-channel/db"));
        assertTakenOver(home, savedExpected());
    }

    @Test
    void flumesDefaultDatabaseIsNotLeftBehindUnnoticed() throws Exception {
        // A Flume configuration with neither driver.url nor sysprop.user.home: Flume's database under its user's home.
        Path home = temp.resolve("home");
        Path database = home.resolve(".flume/jdbc-channel/db");
        JdbcChannelSavedDatabaseTest.unzip(SAMPLE, database);
        ConfigurationException refused = assertThrows(ConfigurationException.class,
                () -> new JdbcChannelFactory(database).create(TestContexts.channel("c1", Map.of(),
                        temp.resolve("data"))));
        assertTrue(refused.getMessage().contains("sysprop.user.home = " + home), refused.getMessage());

        // The key the message names takes the events over.
        assertTakenOver(home, savedExpected());
    }

    /**
     * Writes the saved sample with the real Flume: {@code mvn -pl plugins/channel-jdbc test
     * -Dtest=FlumeJdbcTakeoverTest -Dsluice.jdbc.flume.sample=write}; never rewritten.
     */
    @Test
    @EnabledIfSystemProperty(named = "sluice.jdbc.flume.sample", matches = "write")
    void writeTheSample() throws Exception {
        Path home = temp.resolve("home");
        ScriptRun flume = ScriptRun.run(FlumeJvm.JDBC_CHANNEL_SCRIPT, temp.resolve("flume"),
                Map.of("sysprop.user.home", home.toString()), SCRIPT);
        Path saved = Path.of("src/test/resources" + SAMPLE);
        JdbcChannelSavedDatabaseTest.zip(home.resolve(".flume/jdbc-channel/db"), saved);
        List<String> lines = new ArrayList<>(List.of("# The events a takeover of the Flume 1.11.0 jdbc channel c1 in "
                + "flume-1.11.0-jdbc-channel-db.zip delivers, in order", "# (script: " + String.join("; ", SCRIPT)
                + "; then SIGKILL)"));
        lines.addAll(flume.expectedLines());
        Files.write(Path.of("src/test/resources" + SAMPLE_EXPECTED), lines, StandardCharsets.UTF_8);
    }

    /** The events the saved database holds, as its expected list gives them. */
    private List<String> savedExpected() throws IOException {
        try (var in = getClass().getResourceAsStream(SAMPLE_EXPECTED)) {
            return FormatSamples.describeLines(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .split("\n")));
        }
    }

    private void assertTakenOver(Path home, List<String> expected) throws Exception {
        Map<String, String> keys = Map.of("sysprop.user.home", home.toString());
        JdbcChannel channel = (JdbcChannel) new JdbcChannelFactory().create(TestContexts.channel("c1", keys,
                temp.resolve("data")));
        channel.start();
        try {
            assertEquals(expected, takeAll(channel));
        } finally {
            channel.stop();
        }
        // Moved, not copied: a restart finds nothing more in Flume's tables nor in Sluice's.
        JdbcChannel again = (JdbcChannel) new JdbcChannelFactory().create(TestContexts.channel("c1", keys,
                temp.resolve("data")));
        again.start();
        try {
            assertEquals(List.of(), takeAll(again));
        } finally {
            again.stop();
        }
    }

    private static List<String> takeAll(JdbcChannel channel) {
        List<String> all = new ArrayList<>();
        for (List<Event> batch; !(batch = ChannelTransactions.take(channel, 7)).isEmpty(); ) {
            all.addAll(FormatSamples.describe(batch));
        }
        return all;
    }
}
