package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

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
import org.sluice.itests.osgi.support.Await;
import org.sluice.itests.osgi.support.AgentStatuses;
import org.sluice.itests.osgi.support.AvroClient;
import org.sluice.itests.osgi.support.HdfsTextOutput;
import org.sluice.itests.osgi.support.NetcatFeeder;
import org.sluice.itests.osgi.support.NextHop;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.StateBatches;
import org.sluice.itests.osgi.support.UserGuideExample;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;

/**
 * The User Guide's "Fan out flow" example, run as a file through the properties-file bridge: agent_foo's avro
 * source multiplexes on the header State to mem-channel-1 (hdfs-Cluster1-sink1) and file-channel-2
 * (avro-forward-sink2, to a next agent). "If the value is CA then its sent to mem-channel-1, if its AZ then it
 * goes to file-channel-2 or if its NY then both. If the State header is not set or doesn't match any of the three,
 * then it goes to mem-channel-1." {@link UserGuideFanOutOptionalIT} runs the guide's variant with optional
 * channels.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UserGuideFanOutIT {

    private static final String SOURCE_PORT = "sluice.itests.ug.source.port";
    private static final String NEXT_HOP_PORT = "sluice.itests.ug.nexthop.port";
    private static final String HDFS_DIRECTORY = "sluice.itests.ug.hdfs";
    private static final int PER_STATE = 20;
    /** The values of State the test sends, in this order; null: no State header. */
    private static final String[] STATES = {"CA", "AZ", "NY", "TX", null};

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    /** The example file, under src/test/resources/flume-configs/userguide of platform/runtime. */
    protected String exampleFile() {
        return "fan-out-multiplexing.properties";
    }

    /** The values of State whose events the guide sends to file-channel-2, the channel of the avro sink. */
    protected List<String> statesToTheNextHop() {
        return List.of("AZ", "NY");
    }

    /** The values of State whose events the guide sends to mem-channel-1, the channel of the hdfs sink. */
    protected List<String> statesToHdfs() {
        return List.of("CA", "NY", "TX", "none");
    }

    @Configuration
    public Option[] configuration() {
        Path work = WorkDirs.create("ug-fan-out");
        Path hdfs = work.resolve("webdata");
        int sourcePort = NetcatFeeder.freePort();
        int nextHopPort = NetcatFeeder.freePort();
        // What differs on a test machine, and only that:
        Path file = UserGuideExample.load(exampleFile())
                .set("agent_foo.sources.avro-AppSrv-source1.port", Integer.toString(sourcePort),
                        "10000 may be taken on a test machine, and the next hop needs a port of its own")
                .set("agent_foo.sinks.hdfs-Cluster1-sink1.hdfs.path", hdfs.toUri().toString(),
                        "there is no HDFS named namenode: the same sink writes to the local file system")
                .set("agent_foo.sinks.avro-forward-sink2.hostname", "127.0.0.1",
                        "the next agent runs in this framework, not on 10.1.1.100")
                .set("agent_foo.sinks.avro-forward-sink2.port", Integer.toString(nextHopPort),
                        "a free port, where the next agent listens")
                .writeTo(work);
        return options(SluiceOptions.kernel(),
                SluiceOptions.plugins("source:avro", "sink:avro", "channel_selector:multiplexing",
                        "channel_selector:replicating", "channel:memory", "channel:file", "sink:hdfs",
                        "sink:file_roll"),
                AvroClient.bundles(),
                SluiceOptions.agentFromFile(file, "agent_foo", work.resolve("data")),
                systemProperty(SOURCE_PORT).value(Integer.toString(sourcePort)),
                systemProperty(NEXT_HOP_PORT).value(Integer.toString(nextHopPort)),
                systemProperty(HDFS_DIRECTORY).value(hdfs.toString()));
    }

    @Test
    public void eachEventGoesToTheChannelsItsStateIsMappedTo() throws Exception {
        NextHop nextHop = NextHop.start(admin, runtime, "nexthop", Integer.getInteger(NEXT_HOP_PORT));
        AgentStatuses agent = new AgentStatuses(runtime, "agent_foo");
        agent.await(ComponentKind.SINK, "hdfs-Cluster1-sink1", ComponentState.RUNNING);
        agent.await(ComponentKind.SINK, "avro-forward-sink2", ComponentState.RUNNING);
        agent.await(ComponentKind.SOURCE, "avro-AppSrv-source1", ComponentState.RUNNING);

        try (AvroClient client = AvroClient.connect(Integer.getInteger(SOURCE_PORT))) {
            StateBatches.send(client, "State", STATES, PER_STATE);
        }

        // Each channel has one sink and hands out in order, and the batches were sent in STATES' order: once the
        // events each output must have are all there, an event that went to a wrong channel would be there too.
        HdfsTextOutput hdfs = new HdfsTextOutput(Paths.get(System.getProperty(HDFS_DIRECTORY)));
        TreeSet<String> expectedInHdfs = StateBatches.bodies(statesToHdfs(), PER_STATE);
        TreeSet<String> expectedAtNextHop = StateBatches.bodies(statesToTheNextHop(), PER_STATE);
        Await.until("hdfs-Cluster1-sink1 to write " + expectedInHdfs, () -> new TreeSet<>(hdfs.lines()),
                written -> written.containsAll(expectedInHdfs));
        Await.until("the next agent to receive " + expectedAtNextHop,
                () -> new TreeSet<>(nextHop.output().lines()), written -> written.containsAll(expectedAtNextHop));

        assertEquals("what hdfs-Cluster1-sink1 (mem-channel-1) wrote", expectedInHdfs, new TreeSet<>(hdfs.lines()));
        assertEquals("what avro-forward-sink2 (file-channel-2) forwarded", expectedAtNextHop,
                new TreeSet<>(nextHop.output().lines()));
        assertEquals("each event delivered once by the hdfs sink", expectedInHdfs.size(), hdfs.lines().size());
        assertEquals("each event forwarded once", expectedAtNextHop.size(), nextHop.output().lines().size());
    }
}
