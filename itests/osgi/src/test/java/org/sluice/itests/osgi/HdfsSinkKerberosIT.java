package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.component.ComponentKind;
import org.sluice.itests.osgi.support.AgentConfigurations;
import org.sluice.itests.osgi.support.AgentStatuses;
import org.sluice.itests.osgi.support.Await;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;

/**
 * The hdfs sink bundle logs in to a real KDC (MiniKdc, started beside the framework) from a keytab, inside Felix:
 * Hadoop's UserGroupInformation, embedded in the bundle, reaches JAAS and the JDK's Krb5LoginModule through the
 * bundle's class loader with nothing but the kernel. The Hadoop configuration comes from the agent's conf directory
 * (framework property sluice.conf.dir), where a Flume user keeps core-site.xml: it says kerberos.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HdfsSinkKerberosIT {
    private static final long EVENTS = 40;
    private static final String PRINCIPAL = "sluice.itests.kerberos.principal";
    private static final String KEYTAB = "sluice.itests.kerberos.keytab";

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Configuration
    public Option[] configuration() throws Exception {
        // Outside the framework: the KDC lives on the test class path, which bundles do not see.
        Kdc.start();
        Path conf = WorkDirs.create("kerberos-conf");
        Files.writeString(conf.resolve("core-site.xml"), "<configuration><property><name>hadoop.security."
                + "authentication</name><value>kerberos</value></property></configuration>");
        return options(SluiceOptions.kernel(), SluiceOptions.plugins("source:seq", "channel_selector:replicating",
                "channel:memory", "sink:hdfs"),
                frameworkProperty("sluice.conf.dir").value(conf.toString()),
                systemProperty(PRINCIPAL).value(System.getProperty(PRINCIPAL)),
                systemProperty(KEYTAB).value(System.getProperty(KEYTAB)));
    }

    /** One KDC for the test JVM, stopped when it exits; the JDK reads its krb5.conf through java.security.krb5.conf. */
    private static final class Kdc {
        private static org.apache.hadoop.minikdc.MiniKdc kdc;

        static synchronized void start() throws Exception {
            if (kdc != null) {
                return;
            }
            Properties conf = org.apache.hadoop.minikdc.MiniKdc.createConf();
            kdc = new org.apache.hadoop.minikdc.MiniKdc(conf, WorkDirs.create("kdc").toFile());
            kdc.start();
            File keytab = WorkDirs.create("keytabs").resolve("flume.keytab").toFile();
            kdc.createPrincipal(keytab, "flume");
            System.setProperty(PRINCIPAL, "flume@" + kdc.getRealm());
            System.setProperty(KEYTAB, keytab.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(kdc::stop));
        }
    }

    @Test
    public void logsInFromTheKeytabInsideFelixAndWrites() {
        Path output = WorkDirs.create("hdfs-kerberos");
        AgentConfigurations.agent(admin, "a1")
                .channel("c1", Map.of("type", "memory", "capacity", "1000"))
                .sink("k1", Map.of("type", "hdfs", "channel", "c1", "hdfs.path", output.toUri().toString(),
                        "hdfs.fileType", "DataStream", "hdfs.rollCount", "20", "hdfs.rollSize", "0",
                        "hdfs.batchSize", "10", "hdfs.kerberosPrincipal", System.getProperty(PRINCIPAL),
                        "hdfs.kerberosKeytab", System.getProperty(KEYTAB)))
                .source("r1", Map.of("type", "seq", "channels", "c1", "totalEvents", Long.toString(EVENTS)));

        new AgentStatuses(runtime, "a1").await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
        Await.until("two files rolled and renamed in " + output, () -> finalFiles(output), files -> files.size() == 2);
        List<String> lines = finalFiles(output).stream().flatMap(HdfsSinkKerberosIT::lines).collect(Collectors.toList());
        assertEquals(EVENTS, lines.size());
        assertTrue(lines.contains(Long.toString(EVENTS - 1)));
    }

    private static List<Path> finalFiles(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().matches("FlumeData\\.\\d+")).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
