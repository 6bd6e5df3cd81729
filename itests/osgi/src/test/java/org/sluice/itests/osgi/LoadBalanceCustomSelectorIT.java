package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.sluice.itests.osgi.support.TextAssertions.assertContains;

import java.nio.file.Path;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.component.ComponentKind;
import org.sluice.itests.osgi.support.AgentConfigurations;
import org.sluice.itests.osgi.support.AgentStatuses;
import org.sluice.itests.osgi.support.FileRollOutput;
import org.sluice.itests.osgi.support.FlumeCounters;
import org.sluice.itests.osgi.support.NetcatFeeder;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

/**
 * A load_balance group whose {@code processor.selector} names a custom selector by its class name, as a Flume
 * configuration does, provided by a bundle of its own (itests/sink-selector-example: sinks last to first, a failed
 * sink left out for {@code processor.selector.pauseAfterFailure} ms). netcat -> memory -> g1 (k1, k2).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class LoadBalanceCustomSelectorIT {

    private static final String SELECTOR = "org.sluice.itests.sinkselector.ReverseOrderSinkSelector";

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        // Not the selector's bundle: the tests deploy it.
        return options(SluiceOptions.kernel(),
                SluiceOptions.plugins("source:netcat", "channel_selector:replicating", "channel:memory",
                        "sink:file_roll", "sink:avro", "sink_processor:load_balance"));
    }

    @Test
    public void theGroupWaitsForItsSelectorsBundleAndThenSendsEveryEventWhereTheSelectorSays() throws Exception {
        int port = NetcatFeeder.freePort();
        FileRollOutput k1 = new FileRollOutput(WorkDirs.create("lb-selector-k1"));
        FileRollOutput k2 = new FileRollOutput(WorkDirs.create("lb-selector-k2"));
        agent(port, k1.directory(), fileRoll(k2.directory()), Map.of());
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);

        // No bundle provides the selector: the group waits, naming it and its key; the channel keeps the events.
        ComponentStatus waiting = a1.await(ComponentKind.SINKGROUP, "g1", ComponentState.WAITING);
        assertContains(waiting.reason(), "sink selector type '" + SELECTOR + "'");
        assertContains(waiting.reason(), "key 'processor.selector'");
        NetcatFeeder.start(port).finishAt(300);
        assertEquals("k1 wrote without a selector", 0, k1.lines().size());
        assertEquals("k2 wrote without a selector", 0, k2.lines().size());

        // The selector's bundle arrives: the group starts and the last sink, k2, takes everything.
        Bundle selector = context.installBundle(SluiceOptions.bundleLocation("sinkselector"));
        selector.start();
        a1.await(ComponentKind.SINKGROUP, "g1", ComponentState.RUNNING);
        k2.awaitAll(0, 300);
        assertEquals("the reverse-order selector sent events to k1", 0, k1.lines().size());

        // It goes away: the group stops at once and waits again; what comes meanwhile stays in the channel.
        selector.stop();
        int writtenBeforeStop = k2.lines().size();
        a1.await(ComponentKind.SINKGROUP, "g1", ComponentState.WAITING);
        NetcatFeeder.start(port, 300).finishAt(600);
        assertEquals("k2 wrote while the selector's bundle was stopped", writtenBeforeStop, k2.lines().size());

        // It comes back: nothing was lost.
        selector.start();
        a1.await(ComponentKind.SINKGROUP, "g1", ComponentState.RUNNING);
        k2.awaitAll(0, 600);
        assertEquals(0, k1.lines().size());
    }

    @Test
    public void whenTheSelectorsFirstChoiceFailsItsEventsGoToTheNextSinkAndNoneIsLost() throws Exception {
        Bundle selector = context.installBundle(SluiceOptions.bundleLocation("sinkselector"));
        selector.start();
        int port = NetcatFeeder.freePort();
        FileRollOutput k1 = new FileRollOutput(WorkDirs.create("lb-selector-failing-k1"));
        // k2, offered first, forwards to a port where nothing listens: every batch it takes fails and is rolled back.
        Map<String, String> deadPeer = Map.of("type", "avro", "channel", "c1", "hostname", "127.0.0.1",
                "port", Integer.toString(NetcatFeeder.freePort()), "connect-timeout", "1000");
        agent(port, k1.directory(), deadPeer, Map.of("processor.backoff", "true",
                "processor.selector.pauseAfterFailure", "600000"));
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SINKGROUP, "g1", ComponentState.RUNNING);
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);

        NetcatFeeder.start(port).finishAt(500);
        k1.awaitAll(0, 500);
        // The selector, not the processor, keeps the failed sink out (as in Flume with a custom selector): k2 was
        // offered one batch, failed once, and was left out for the rest of the test.
        assertEquals(1, FlumeCounters.sink("k2", "EventWriteFail"));
        assertTrue("k2 delivered to a port where nothing listens",
                FlumeCounters.sink("k2", "EventDrainSuccessCount") == 0);
    }

    /**
     * Agent a1: netcat r1 -> memory c1 -> group g1 of k1 (file_roll into its own directory) and {@code k2}, with
     * {@code processor.selector} naming the reverse-order selector by class name.
     */
    private void agent(int port, Path k1, Map<String, String> k2, Map<String, String> moreGroupKeys) {
        Map<String, String> group = new HashMap<>(Map.of("sinks", "k1 k2", "processor.type", "load_balance",
                "processor.selector", SELECTOR));
        group.putAll(moreGroupKeys);
        AgentConfigurations.agent(admin, "a1")
                .channel("c1", Map.of("type", "memory", "capacity", "100000", "transactionCapacity", "100"))
                .sink("k1", fileRoll(k1))
                .sink("k2", k2)
                .put(ComponentKind.SINKGROUP, "g1", group)
                .source("r1", Map.of("type", "netcat", "bind", "127.0.0.1", "port", Integer.toString(port),
                        "channels", "c1"));
    }

    private static Map<String, String> fileRoll(Path directory) {
        return Map.of("type", "file_roll", "channel", "c1", "sink.directory", directory.toString(),
                "sink.rollInterval", "0");
    }
}
