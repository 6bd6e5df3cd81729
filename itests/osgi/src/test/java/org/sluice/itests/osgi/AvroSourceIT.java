package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.component.ComponentKind;
import org.sluice.itests.osgi.support.AgentConfigurations;
import org.sluice.itests.osgi.support.AgentStatuses;
import org.sluice.itests.osgi.support.AvroClient;
import org.sluice.itests.osgi.support.Bundles;
import org.sluice.itests.osgi.support.FileRollOutput;
import org.sluice.itests.osgi.support.NetcatFeeder;
import org.sluice.itests.osgi.support.PluginCatalog;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;

/**
 * An agent avro source -> memory -> file_roll, configured through Config Admin, receives what an Avro RPC client
 * sends from the test, and writes every event. The avro plugin runs on the Avro and Netty inside its bundle: it is
 * not wired to the client's Avro and Netty bundles installed beside it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class AvroSourceIT {

    private static final int EVENTS = 300;
    private static final int BATCH = 50;

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return options(SluiceOptions.kernel(), SluiceOptions.plugins("source:avro", "channel_selector:replicating",
                "channel:memory", "sink:file_roll"), AvroClient.bundles());
    }

    @Test
    public void eventsSentByAnAvroClientAreWrittenByTheAgent() throws Exception {
        Path output = WorkDirs.create("avro-file-roll");
        int port = NetcatFeeder.freePort();
        AgentConfigurations.agent(admin, "a1")
                .channel("c1", Map.of("type", "memory", "capacity", "1000"))
                .sink("k1", Map.of("type", "file_roll", "channel", "c1", "sink.directory", output.toString(),
                        "sink.rollInterval", "0"))
                .source("r1", Map.of("type", "avro", "channels", "c1", "bind", "127.0.0.1", "port",
                        Integer.toString(port)));
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);

        try (AvroClient client = AvroClient.connect(port)) {
            for (int first = 0; first < EVENTS; first += BATCH) {
                List<String> bodies = new ArrayList<>();
                for (int i = first; i < first + BATCH; i++) {
                    bodies.add(Integer.toString(i));
                }
                assertEquals("OK", client.appendBatch(bodies, Map.of("host", "itest")));
            }
        }
        new FileRollOutput(output).awaitAll(0, EVENTS);
        assertEquals("every event written once", EVENTS, new FileRollOutput(output).lines().size());

        String plugin = PluginCatalog.load().bundleFor(ComponentKind.SOURCE, "avro").symbolicName();
        Bundle bundle = Bundles.installed(context, plugin);
        for (BundleWire wire : bundle.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            String provider = wire.getProvider().getBundle().getSymbolicName();
            assertFalse(plugin + " must use its own Avro and Netty, but imports "
                    + wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE) + " from " + provider,
                    provider.startsWith("avro") || provider.startsWith("io.netty")
                            || provider.startsWith("com.fasterxml"));
        }
    }
}
