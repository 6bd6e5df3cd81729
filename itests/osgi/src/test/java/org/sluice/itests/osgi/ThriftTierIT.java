package org.sluice.itests.osgi;

import static org.ops4j.pax.exam.CoreOptions.options;

import java.nio.file.Path;
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

/**
 * The Thrift bundle, with the Thrift runtime inside it, resolves and runs in Felix: one agent is its own
 * two tiers, seq -> memory -> thrift sink -> thrift source -> memory -> file_roll, and every event arrives.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ThriftTierIT {

    private static final long EVENTS = 5_000;

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Configuration
    public Option[] configuration() {
        return options(SluiceOptions.kernel(), SluiceOptions.plugins("source:seq", "channel_selector:replicating",
                "channel:memory", "sink:thrift", "source:thrift", "sink:file_roll"));
    }

    @Test
    public void eventsCrossAThriftHopInsideFelix() {
        int port = NetcatFeeder.freePort();
        Path output = WorkDirs.create("thrift-tier");
        AgentConfigurations.agent(admin, "a1")
                .channel("c1", Map.of("type", "memory", "capacity", "10000", "transactionCapacity", "1000"))
                .channel("c2", Map.of("type", "memory", "capacity", "10000", "transactionCapacity", "1000"))
                .sink("k2", Map.of("type", "file_roll", "channel", "c2", "sink.directory", output.toString(),
                        "sink.rollInterval", "0"))
                .source("r2", Map.of("type", "thrift", "bind", "127.0.0.1", "port", Integer.toString(port),
                        "channels", "c2"))
                .sink("k1", Map.of("type", "thrift", "hostname", "127.0.0.1", "port", Integer.toString(port),
                        "batch-size", "500", "channel", "c1"))
                .source("r1", Map.of("type", "seq", "channels", "c1", "totalEvents", Long.toString(EVENTS)));

        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SOURCE, "r2", ComponentState.RUNNING);
        a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);

        new FileRollOutput(output).awaitAll(0, EVENTS);
    }
}
