package org.sluice.itests.osgi;

import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.component.ComponentKind;
import org.sluice.itests.osgi.support.AgentConfigurations;
import org.sluice.itests.osgi.support.AgentStatuses;
import org.sluice.itests.osgi.support.FileRollOutput;
import org.sluice.itests.osgi.support.NetcatFeeder;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.support.tls.TestKeyStores;

/**
 * TLS hops inside Felix: the avro and thrift bundles set TLS up with the support library compiled into each of
 * them, on the JDK's javax.net.ssl from the system bundle. seq -> memory -> sink => source -> memory -> file_roll.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class TlsHopIT {

    /** The directory of the key stores, made by the test driver before the framework starts. */
    private static final String STORES_PROPERTY = "sluice.itests.tls";
    private static final long EVENTS = 1000;

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Configuration
    public Option[] configuration() throws Exception {
        return options(SluiceOptions.kernel(), SluiceOptions.plugins("source:seq", "channel_selector:replicating",
                "channel:memory", "sink:file_roll", "source:avro", "sink:avro", "source:thrift", "sink:thrift"),
                systemProperty(STORES_PROPERTY).value(KeyMaterial.directory()));
    }

    @Test
    public void eventsCrossAnAvroHopWithTlsAndAClientCertificate() {
        Path stores = Paths.get(System.getProperty(STORES_PROPERTY));
        deliverOverTls("avro",
                Map.of("keystore", stores.resolve("server/server.jks").toString(),
                        "keystore-password", TestKeyStores.PASSWORD, "ssl-client-auth", "required",
                        "truststore", stores.resolve("client/trust.jks").toString(),
                        "truststore-password", TestKeyStores.PASSWORD),
                Map.of("truststore", stores.resolve("server/trust.jks").toString(),
                        "truststore-password", TestKeyStores.PASSWORD,
                        "keystore", stores.resolve("client/server.jks").toString(),
                        "keystore-password", TestKeyStores.PASSWORD));
    }

    @Test
    public void eventsCrossAThriftHopWithTls() {
        Path stores = Paths.get(System.getProperty(STORES_PROPERTY));
        deliverOverTls("thrift",
                Map.of("keystore", stores.resolve("server/server.jks").toString(),
                        "keystore-password", TestKeyStores.PASSWORD),
                Map.of("truststore", stores.resolve("server/trust.jks").toString()));
    }

    /** seq -> c1 -> sink k1 ={TLS}=> source r2 -> c2 -> file_roll, every event delivered. */
    private void deliverOverTls(String type, Map<String, String> sourceTls, Map<String, String> sinkTls) {
        String port = Integer.toString(NetcatFeeder.freePort());
        Path output = WorkDirs.create("tls-" + type);
        Map<String, String> source = new HashMap<>(sourceTls);
        source.putAll(Map.of("type", type, "channels", "c2", "bind", "127.0.0.1", "port", port, "ssl", "true"));
        Map<String, String> sink = new HashMap<>(sinkTls);
        sink.putAll(Map.of("type", type, "channel", "c1", "hostname", "127.0.0.1", "port", port, "ssl", "true"));
        AgentConfigurations.agent(admin, "a1")
                .channel("c1", Map.of("type", "memory", "capacity", "10000"))
                .channel("c2", Map.of("type", "memory", "capacity", "10000"))
                .sink("k2", Map.of("type", "file_roll", "channel", "c2", "sink.directory", output.toString(),
                        "sink.rollInterval", "0"))
                .source("r2", source)
                .sink("k1", sink)
                .source("r1", Map.of("type", "seq", "channels", "c1", "totalEvents", Long.toString(EVENTS)));
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SOURCE, "r2", ComponentState.RUNNING);
        a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
        new FileRollOutput(output).awaitAll(0, EVENTS);
    }

    /**
     * Made once per test run, in the driver (never inside the framework, whose bundles cannot see the TLS
     * support's test jar): a server's key and a client's key, each with the trust store of its certificate.
     */
    private static final class KeyMaterial {
        private static String directory;

        static synchronized String directory() throws Exception {
            if (directory == null) {
                Path root = WorkDirs.create("tls-stores");
                TestKeyStores.create(Files.createDirectories(root.resolve("server")), "JKS");
                TestKeyStores.create(Files.createDirectories(root.resolve("client")), "JKS");
                directory = root.toString();
            }
            return directory;
        }
    }
}
