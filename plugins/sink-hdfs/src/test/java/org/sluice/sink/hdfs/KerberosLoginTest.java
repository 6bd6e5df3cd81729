package org.sluice.sink.hdfs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.security.auth.kerberos.KerberosTicket;

import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.testkit.TestChannel;
import org.sluice.testkit.TestContexts;

/**
 * hdfs.kerberosPrincipal and hdfs.kerberosKeytab against a real KDC, writing to file:// (the secured HDFS is
 * {@link KerberosSecureHdfsTest}): the login, {@code _HOST}, one principal per JVM, relogin when the ticket runs
 * out, and the errors a wrong keytab or principal gives.
 */
class KerberosLoginTest {
    private static TestKdc kdc;
    private static File writerKeytab;
    private static File otherKeytab;
    private static File hostKeytab;

    @TempDir
    Path temp;
    private final List<Sink> started = new ArrayList<>();

    @BeforeAll
    static void kdc() throws Exception {
        kdc = TestKdc.get();
        writerKeytab = kdc.keytab("writer.keytab", "writer");
        otherKeytab = kdc.keytab("other.keytab", "other");
        hostKeytab = kdc.hostKeytab();
    }

    @AfterEach
    void stopSinks() {
        started.forEach(Sink::stop);
    }

    @Test
    void logsInFromTheKeytabAndWritesEvents() throws Exception {
        TestChannel channel = new TestChannel(100);
        channel.putCommitted(events(0, 20));
        Sink sink = start("k1", channel, kerberos("writer@" + kdc.realm(), writerKeytab));

        assertEquals(Sink.Status.READY, sink.process());

        UserGroupInformation login = UserGroupInformation.getLoginUser();
        assertEquals("writer@" + kdc.realm(), login.getUserName());
        assertTrue(login.hasKerberosCredentials() && login.isFromKeytab(), login.toString());
        assertTrue(tgt(login) != null, "a ticket-granting ticket from the KDC");
        stop(sink);
        assertEquals(bodies(0, 20), writtenLines());
        assertEquals(0, channel.size());
    }

    @Test
    void hostInThePrincipalIsThisMachinesCanonicalName() throws Exception {
        TestChannel channel = new TestChannel(100);
        channel.putCommitted(events(0, 3));
        Sink sink = start("k1", channel, kerberos("flume/_HOST@" + kdc.realm(), hostKeytab));

        assertEquals(Sink.Status.READY, sink.process());

        assertEquals("flume/" + TestKdc.canonicalHostName() + "@" + kdc.realm(),
                UserGroupInformation.getLoginUser().getUserName());
        stop(sink);
        assertEquals(bodies(0, 3), writtenLines());
    }

    @Test
    void oneAgentLogsInAsOnePrincipalUntilTheSinksHoldingItStop() throws Exception {
        TestChannel first = new TestChannel(100);
        Sink k1 = start("k1", first, kerberos("writer@" + kdc.realm(), writerKeytab));
        // The same principal again shares the login.
        TestChannel second = new TestChannel(100);
        Sink k2 = start("k2", second, kerberos("writer@" + kdc.realm(), writerKeytab));

        TestChannel third = new TestChannel(100);
        third.putCommitted(events(0, 5));
        Sink k3 = new HdfsSinkFactory().create(TestContexts.sink("k3", kerberos("other@" + kdc.realm(), otherKeytab),
                third, temp.resolve("data")));
        Exception refused = assertThrows(Exception.class, k3::start);
        assertTrue(refused.getMessage().startsWith("agent 'test', component 'k3', key 'hdfs.kerberosPrincipal': "
                + "cannot log in as other@" + kdc.realm() + ": this agent is logged in to Kerberos as writer@"
                + kdc.realm() + " for test.k1, test.k2"), refused.getMessage());
        assertFalse(refused instanceof ConfigurationException, "retried: it passes once the other sinks let go");
        assertEquals(5, third.size());

        // k2 keeps writing with the login after k1 stopped.
        stop(k1);
        second.putCommitted(events(0, 4));
        assertEquals(Sink.Status.READY, k2.process());
        assertEquals("writer@" + kdc.realm(), UserGroupInformation.getLoginUser().getUserName());
        stop(k2);

        // Nobody holds writer's login any more: other may log in now.
        Sink k3Again = start("k3", third, kerberos("other@" + kdc.realm(), otherKeytab));
        assertEquals(Sink.Status.READY, k3Again.process());
        assertEquals("other@" + kdc.realm(), UserGroupInformation.getLoginUser().getUserName());
        assertEquals(0, third.size());
    }

    @Test
    void aKeytabThatIsNotAFileIsAConfigurationError() throws Exception {
        ConfigurationException e = failsToStart(kerberos("writer@" + kdc.realm(), temp.resolve("missing.keytab").toFile()));
        assertEquals("hdfs.kerberosKeytab", e.key());
        assertTrue(e.getMessage().startsWith("agent 'test', component 'k1', key 'hdfs.kerberosKeytab': "
                + temp.resolve("missing.keytab") + " is not a readable file"), e.getMessage());
    }

    @Test
    void aKeytabWithoutThePrincipalsKeyIsAConfigurationError() throws Exception {
        ConfigurationException e = failsToStart(kerberos("writer@" + kdc.realm(), otherKeytab));
        assertEquals("hdfs.kerberosKeytab", e.key());
        assertTrue(e.getMessage().startsWith("agent 'test', component 'k1', key 'hdfs.kerberosKeytab': Kerberos login "
                + "as writer@" + kdc.realm() + " from keytab " + otherKeytab + " failed: "), e.getMessage());
    }

    @Test
    void aKeytabWithAnOldKeyIsAConfigurationError() throws Exception {
        File stale = kdc.keytabWithWrongKey("stale.keytab", "writer@" + kdc.realm());
        ConfigurationException e = failsToStart(kerberos("writer@" + kdc.realm(), stale));
        assertEquals("hdfs.kerberosKeytab", e.key());
        assertTrue(e.getMessage().contains("Kerberos login as writer@" + kdc.realm() + " from keytab " + stale
                + " failed: "), e.getMessage());
    }

    @Test
    void aPrincipalTheKdcDoesNotKnowIsAConfigurationErrorOfThePrincipal() throws Exception {
        File unknown = kdc.keytabWithWrongKey("unknown.keytab", "nobody@" + kdc.realm());
        ConfigurationException e = failsToStart(kerberos("nobody@" + kdc.realm(), unknown));
        assertEquals("hdfs.kerberosPrincipal", e.key());
        assertTrue(e.getMessage().contains("not found in Kerberos database"), e.getMessage());
    }

    @Test
    void aPrincipalWithoutKeytabIsRefusedAtConfiguration() {
        Map<String, String> properties = fileSink();
        properties.put("hdfs.kerberosPrincipal", "writer@" + kdc.realm());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> new HdfsSinkFactory()
                .create(TestContexts.sink("k1", properties, new TestChannel(10), temp.resolve("data"))));
        assertEquals("hdfs.kerberosKeytab", e.key());
    }

    /**
     * The ticket runs out while the sink runs: before its next Hadoop call the sink logs in again from the keytab.
     * When that fails (the keytab was replaced by one with an old key) the batch fails and its events stay in the
     * channel; once the keytab is right again the next attempt logs in and writes them.
     */
    @Test
    void anExpiringTicketIsRenewedFromTheKeytabAndAFailedRenewalLosesNothing() throws Exception {
        File keytab = temp.resolve("renewing.keytab").toFile();
        Files.copy(kdc.keytab("renewer.keytab", "renewer").toPath(), keytab.toPath());
        Map<String, String> properties = kerberos("renewer@" + kdc.realm(), keytab);
        // Hadoop refuses a relogin within a minute of the last one, unless told otherwise.
        properties.put("hdfs.config.hadoop.kerberos.min.seconds.before.relogin", "1");
        TestChannel channel = new TestChannel(100);
        Sink sink = start("k1", channel, properties);
        channel.putCommitted(events(0, 10));
        assertEquals(Sink.Status.READY, sink.process());
        // Copied: a relogin destroys the old ticket, and with it its fields.
        java.util.Date firstEnd = new java.util.Date(tgt(UserGroupInformation.getLoginUser()).getEndTime().getTime());

        Path good = Files.copy(keytab.toPath(), temp.resolve("good.keytab"));
        Files.copy(kdc.keytabWithWrongKey("old.keytab", "renewer@" + kdc.realm()).toPath(), keytab.toPath(),
                StandardCopyOption.REPLACE_EXISTING);
        // Past 80 % of the ticket's life, where Hadoop renews it.
        long renewFrom = firstEnd.getTime() - TestKdc.TICKET_LIFETIME_SECONDS * 100L + 500;
        await().atMost(Duration.ofSeconds(TestKdc.TICKET_LIFETIME_SECONDS))
                .until(() -> System.currentTimeMillis() >= renewFrom);
        channel.putCommitted(events(10, 20));
        EventDeliveryException failed = assertThrows(EventDeliveryException.class, sink::process);
        assertTrue(messages(failed).contains("agent 'test', component 'k1', key 'hdfs.kerberosKeytab': Kerberos "
                + "relogin as renewer@" + kdc.realm() + " from " + keytab + " failed"), messages(failed));
        assertEquals(10, channel.size(), "the failed batch is rolled back into the channel");

        Files.copy(good, keytab.toPath(), StandardCopyOption.REPLACE_EXISTING);
        // The sink runner backs off after a failed batch; Hadoop attempts no relogin within a second of the last.
        // A time to let pass, not a condition to wait for: a batch tried sooner could be written without a relogin.
        Thread.sleep(1100);
        assertEquals(Sink.Status.READY, sink.process());
        KerberosTicket renewed = tgt(UserGroupInformation.getLoginUser());
        assertTrue(renewed.getEndTime().after(firstEnd), firstEnd + " then " + renewed.getEndTime());
        assertEquals(0, channel.size());
        stop(sink);
        assertEquals(bodies(0, 20), writtenLines().stream().distinct().sorted(
                (a, b) -> Integer.compare(Integer.parseInt(a.substring(6)), Integer.parseInt(b.substring(6))))
                .collect(Collectors.toList()));
    }

    private ConfigurationException failsToStart(Map<String, String> properties) throws Exception {
        TestChannel channel = new TestChannel(100);
        channel.putCommitted(events(0, 5));
        Sink sink = new HdfsSinkFactory().create(TestContexts.sink("k1", properties, channel, temp.resolve("data")));
        ConfigurationException e = assertThrows(ConfigurationException.class, sink::start);
        assertEquals(5, channel.size(), "nothing was taken");
        return e;
    }

    private Map<String, String> fileSink() {
        Map<String, String> properties = new HashMap<>();
        properties.put("hdfs.path", temp.resolve("out").toUri().toString());
        properties.put("hdfs.fileType", "DataStream");
        properties.put("hdfs.rollCount", "0");
        properties.put("hdfs.rollSize", "0");
        properties.put("hdfs.rollInterval", "0");
        return properties;
    }

    private Map<String, String> kerberos(String principal, File keytab) {
        Map<String, String> properties = fileSink();
        properties.put("hdfs.kerberosPrincipal", principal);
        properties.put("hdfs.kerberosKeytab", keytab.toString());
        return properties;
    }

    private Sink start(String name, TestChannel channel, Map<String, String> properties) throws Exception {
        Sink sink = new HdfsSinkFactory().create(TestContexts.sink(name, properties, channel, temp.resolve("data")));
        sink.start();
        started.add(sink);
        return sink;
    }

    private void stop(Sink sink) {
        sink.stop();
        started.remove(sink);
    }

    private List<String> writtenLines() throws Exception {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(temp.resolve("out"))) {
            for (Path file : files.filter(p -> p.getFileName().toString().matches("FlumeData\\.\\d+")).sorted()
                    .collect(Collectors.toList())) {
                lines.addAll(Files.readAllLines(file));
            }
        }
        return lines;
    }

    private static KerberosTicket tgt(UserGroupInformation user) {
        javax.security.auth.Subject subject = user.doAs((java.security.PrivilegedAction<javax.security.auth.Subject>)
                () -> javax.security.auth.Subject.getSubject(java.security.AccessController.getContext()));
        return subject.getPrivateCredentials(KerberosTicket.class).stream()
                .filter(t -> t.getServer().getName().startsWith("krbtgt/")).findFirst().orElse(null);
    }

    private static String messages(Throwable t) {
        StringBuilder text = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            text.append(c.getMessage()).append(" | ");
        }
        return text.toString();
    }

    private static List<Event> events(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> EventBuilder.withBody(("event-" + i).getBytes(
                java.nio.charset.StandardCharsets.UTF_8))).collect(Collectors.toList());
    }

    private static List<String> bodies(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "event-" + i).collect(Collectors.toList());
    }
}
