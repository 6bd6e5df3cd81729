package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.nio.file.Path;
import java.util.Arrays;
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

/**
 * Two tiers in one agent, joined by Avro RPC: seq -> memory -> avro sink => avro source -> memory -> file_roll.
 * No Avro, Netty or Jackson bundle is installed: the plugin bundle carries everything it needs.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class AvroRelayIT {

    private static final long EVENTS = 1000;

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return options(SluiceOptions.kernel(), SluiceOptions.plugins("source:seq", "source:avro", "sink:avro",
                "channel_selector:replicating", "channel:memory", "sink:file_roll"));
    }

    @Test
    public void eventsCrossAnAvroHopWithTheDeflateCompression() {
        for (Bundle bundle : context.getBundles()) {
            String name = String.valueOf(bundle.getSymbolicName());
            assertFalse("no Avro or Netty bundle is installed: " + Arrays.toString(context.getBundles()),
                    name.startsWith("avro") || name.startsWith("io.netty"));
        }
        Path output = WorkDirs.create("avro-relay");
        String port = Integer.toString(NetcatFeeder.freePort());
        AgentConfigurations.agent(admin, "a1")
                .channel("c1", Map.of("type", "memory", "capacity", "1000"))
                .channel("c2", Map.of("type", "memory", "capacity", "1000"))
                .sink("k2", Map.of("type", "file_roll", "channel", "c2", "sink.directory", output.toString(),
                        "sink.rollInterval", "0"))
                .source("r2", Map.of("type", "avro", "channels", "c2", "bind", "127.0.0.1", "port", port,
                        "compression-type", "deflate"))
                .sink("k1", Map.of("type", "org.apache.flume.sink.AvroSink", "channel", "c1", "hostname", "127.0.0.1",
                        "port", port, "batch-size", "100", "compression-type", "deflate"))
                .source("r1", Map.of("type", "seq", "channels", "c1", "totalEvents", Long.toString(EVENTS)));
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SOURCE, "r2", ComponentState.RUNNING);
        a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);

        new FileRollOutput(output).awaitAll(0, EVENTS);
        assertEquals("every event written once", EVENTS, new FileRollOutput(output).lines().size());
    }
}
