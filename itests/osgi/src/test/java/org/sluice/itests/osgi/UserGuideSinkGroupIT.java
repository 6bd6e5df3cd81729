package org.sluice.itests.osgi;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import javax.inject.Inject;

import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.component.ComponentKind;
import org.sluice.itests.osgi.support.AgentStatuses;
import org.sluice.itests.osgi.support.Await;
import org.sluice.itests.osgi.support.AvroClient;
import org.sluice.itests.osgi.support.FileRollOutput;
import org.sluice.itests.osgi.support.NetcatFeeder;
import org.sluice.itests.osgi.support.NextHop;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.UserGuideExample;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;

/**
 * A User Guide sink group example run as a file through the bridge: group g1 of k1 (file_roll) and k2 (avro sink to
 * a next agent in the same framework, which the test can take down). Subclasses check what the guide says of
 * their processor.
 */
abstract class UserGuideSinkGroupIT {

    private static final String PORT = "sluice.itests.ug.port";
    private static final String NEXT_HOP_PORT = "sluice.itests.ug.nexthop.port";
    private static final String K1_DIRECTORY = "sluice.itests.ug.k1";

    @Inject
    protected ConfigurationAdmin admin;

    @Inject
    protected AgentRuntime runtime;

    protected abstract String exampleFile();

    @Configuration
    public Option[] configuration() throws Exception {
        Path work = WorkDirs.create("ug-sinkgroup");
        int port = NetcatFeeder.freePort();
        int nextHopPort = NetcatFeeder.freePort();
        Path k1 = Files.createDirectory(work.resolve("k1"));
        Path file = UserGuideExample.load(exampleFile())
                .set("a1.sources.r1.port", Integer.toString(port), "41414 may be taken on a test machine")
                .set("a1.sinks.k1.sink.directory", k1.toString(),
                        "a directory of the test's own instead of /var/log/flume")
                .set("a1.sinks.k2.hostname", "127.0.0.1", "the next agent runs in this framework, not on 10.1.1.100")
                .set("a1.sinks.k2.port", Integer.toString(nextHopPort), "a free port, where the next agent listens")
                .writeTo(work);
        return options(SluiceOptions.kernel(),
                SluiceOptions.plugins("source:avro", "sink:avro", "channel_selector:replicating", "channel:memory",
                        "sink:file_roll", "sink_processor:default", "sink_processor:failover",
                        "sink_processor:load_balance"),
                AvroClient.bundles(),
                SluiceOptions.agentFromFile(file, "a1", work.resolve("data")),
                systemProperty(PORT).value(Integer.toString(port)),
                systemProperty(NEXT_HOP_PORT).value(Integer.toString(nextHopPort)),
                systemProperty(K1_DIRECTORY).value(k1.toString()));
    }

    /** Starts the next agent, then waits for a1's group and source. */
    protected NextHop startAgents() {
        NextHop nextHop = NextHop.start(admin, runtime, "nexthop", Integer.getInteger(NEXT_HOP_PORT));
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SINKGROUP, "g1", ComponentState.RUNNING);
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);
        return nextHop;
    }

    /**
     * Sends one event at a time, numbered from {@code from}, until the next agent has received one; returns the
     * next number. a1 starts with the framework, before the test starts the next agent, so k2's first attempts
     * failed and its processor set it aside for a penalty or back-off time-out; this waits until it is back, as
     * the guide says it comes back once its time-out has passed.
     */
    protected static long untilK2Delivers(long from, NextHop nextHop) {
        AtomicLong next = new AtomicLong(from);
        Await.settings(await("k2 to deliver to the next agent")).atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    long number = next.getAndIncrement();
                    send(number, number + 1, 1);
                    return !nextHop.output().numbers().isEmpty();
                });
        return next.get();
    }

    protected FileRollOutput k1() {
        return new FileRollOutput(Paths.get(System.getProperty(K1_DIRECTORY)));
    }

    /** Sends the numbers [from, to) in batches of {@code batch}; each batch must be accepted. */
    protected static void send(long from, long to, int batch) throws Exception {
        try (AvroClient client = AvroClient.connect(Integer.getInteger(PORT))) {
            for (long first = from; first < to; first += batch) {
                List<String> bodies = new ArrayList<>();
                for (long n = first; n < Math.min(to, first + batch); n++) {
                    bodies.add(Long.toString(n));
                }
                assertEquals("r1 accepted the batch from " + first, "OK", client.appendBatch(bodies, Map.of()));
            }
        }
    }

    /** Waits until k1 and the next agent together wrote every number in [from, to); returns what each wrote. */
    protected static void awaitDelivered(long from, long to, FileRollOutput k1, NextHop nextHop) {
        Await.until("k1 and the next agent together to hold every number in [" + from + ", " + to + ")",
                () -> union(k1, nextHop), written -> FileRollOutput.missing(written, from, to).isEmpty());
    }

    private static Set<Long> union(FileRollOutput k1, NextHop nextHop) {
        Set<Long> all = new TreeSet<>(k1.numbers());
        all.addAll(nextHop.output().numbers());
        return all;
    }
}
