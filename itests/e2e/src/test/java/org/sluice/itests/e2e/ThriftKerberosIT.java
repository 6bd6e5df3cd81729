package org.sluice.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.kdc.TestKdc;

/**
 * Kerberos on a Thrift hop inside an agent of the built distribution, against a real KDC (in this JVM): seq -> memory
 * -> thrift sink (kerberos, client-principal, client-keytab, server-principal) -> thrift source (kerberos,
 * agent-principal, agent-keytab) -> memory -> file_roll, the JVM told where the KDC is through {@code JAVA_OPTS}. The
 * rpc-thrift bundle logs in with the JDK's Krb5LoginModule and runs SASL GSSAPI inside Felix.
 */
class ThriftKerberosIT {
    private static final int EVENTS = 300;

    private AgentProcess agent;
    private TestKdc kdc;

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (kdc != null) {
            kdc.close();
        }
    }

    @Test
    void aKerberosThriftHopDeliversEveryEvent() throws Exception {
        Path work = Installation.workDirectory("thrift-kerberos-");
        kdc = TestKdc.start(work.resolve("kdc"));
        String host = TestKdc.loopbackHostName();
        Path sourceKeytab = kdc.keytab("thrift.keytab", "thrift/" + host);
        Path sinkKeytab = kdc.keytab("flume.keytab", "flume/" + host);
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Installation installation = Installation.fresh();
        Path output = Files.createDirectories(installation.resolve("out"));
        Path file = installation.resolve("conf/thrift-kerberos.properties");
        Files.writeString(file, String.join("\n", List.of(
                "a1.sources = r1 r2",
                "a1.channels = c1 c2",
                "a1.sinks = k1 k2",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.totalEvents = " + EVENTS,
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = thrift",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.hostname = 127.0.0.1",
                "a1.sinks.k1.port = " + port,
                "a1.sinks.k1.kerberos = true",
                "a1.sinks.k1.client-principal = " + kdc.principal("flume/" + host),
                "a1.sinks.k1.client-keytab = " + sinkKeytab,
                "a1.sinks.k1.server-principal = " + kdc.principal("thrift/" + host),
                "a1.sources.r2.type = thrift",
                "a1.sources.r2.channels = c2",
                "a1.sources.r2.bind = 127.0.0.1",
                "a1.sources.r2.port = " + port,
                "a1.sources.r2.kerberos = true",
                "a1.sources.r2.agent-principal = " + kdc.principal("thrift/" + host),
                "a1.sources.r2.agent-keytab = " + sourceKeytab,
                "a1.channels.c2.type = memory",
                "a1.sinks.k2.type = file_roll",
                "a1.sinks.k2.channel = c2",
                "a1.sinks.k2.sink.directory = " + output,
                "")), StandardCharsets.UTF_8);
        agent = AgentProcess.start(installation, Map.of("JAVA_OPTS", "-Djava.security.krb5.conf=" + kdc.krb5Conf()),
                "agent", "-c", "conf", "-f", file.toString(), "-n", "a1");

        AgentProcess.awaitWhileAllRun("every number from 0 to " + (EVENTS - 1) + " in file_roll's output",
                Duration.ofSeconds(120), Duration.ofSeconds(1), List.of(agent),
                () -> new TreeSet<>(FileRollNumbers.numbers(output)).size() == EVENTS);
        TreeSet<Long> numbers = new TreeSet<>(FileRollNumbers.numbers(output));
        assertEquals(0L, numbers.first());
        assertEquals(EVENTS - 1L, numbers.last());
    }
}
