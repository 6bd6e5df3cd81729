package org.sluice.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import javax.management.AttributeNotFoundException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.api.component.ComponentKind;

class JmxMetricsTest {

    /** Flume 1.11's SourceCounterMBean, ChannelCounterMBean and SinkCounterMBean getters, as attributes. */
    private static final Set<String> FLUME_SOURCE = Set.of("EventReceivedCount", "EventAcceptedCount",
            "AppendReceivedCount", "AppendAcceptedCount", "AppendBatchReceivedCount", "AppendBatchAcceptedCount",
            "StartTime", "StopTime", "Type", "OpenConnectionCount", "EventReadFail", "ChannelWriteFail",
            "GenericProcessingFail");
    private static final Set<String> FLUME_CHANNEL = Set.of("ChannelSize", "EventPutAttemptCount",
            "EventTakeAttemptCount", "EventPutSuccessCount", "EventTakeSuccessCount", "StartTime", "StopTime",
            "ChannelCapacity", "Type", "ChannelFillPercentage");
    private static final Set<String> FLUME_SINK = Set.of("ConnectionCreatedCount", "ConnectionClosedCount",
            "ConnectionFailedCount", "BatchEmptyCount", "BatchUnderflowCount", "BatchCompleteCount",
            "EventDrainAttemptCount", "EventDrainSuccessCount", "StartTime", "StopTime", "Type", "EventWriteFail",
            "ChannelReadFail");

    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private final JmxMetrics metrics = new JmxMetrics(server);

    @AfterEach
    void close() {
        metrics.close();
    }

    private Set<String> attributeNames(ObjectName name) throws Exception {
        return Arrays.stream(server.getMBeanInfo(name).getAttributes()).map(MBeanAttributeInfo::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void sourceIsPublishedUnderFlumesNameWithFlumesAttributes() throws Exception {
        metrics.counters("a1", ComponentKind.SOURCE, "r1");

        ObjectName name = new ObjectName("org.apache.flume.source:type=r1");
        assertTrue(server.isRegistered(name));
        assertEquals(new TreeSet<>(FLUME_SOURCE), attributeNames(name));
        assertEquals("SOURCE", server.getAttribute(name, "Type"));
        assertEquals(0L, server.getAttribute(name, "EventReceivedCount"));
    }

    @Test
    void channelHasFlumesAttributesAndALiveFillPercentage() throws Exception {
        ComponentCounters counters = metrics.counters("a1", ComponentKind.CHANNEL, "c1");
        ObjectName name = new ObjectName("org.apache.flume.channel:type=c1");
        assertEquals(new TreeSet<>(FLUME_CHANNEL), attributeNames(name));

        counters.setChannelCapacity(200);
        counters.setChannelSize(50);
        assertEquals(25.0, server.getAttribute(name, "ChannelFillPercentage"));
        assertEquals(50L, server.getAttribute(name, "ChannelSize"));
        assertEquals("CHANNEL", server.getAttribute(name, "Type"));
        MBeanAttributeInfo fill = Arrays.stream(server.getMBeanInfo(name).getAttributes())
                .filter(a -> a.getName().equals("ChannelFillPercentage")).findFirst().orElseThrow();
        assertEquals("double", fill.getType());
    }

    @Test
    void sinkHasFlumesAttributes() throws Exception {
        metrics.counters("a1", ComponentKind.SINK, "k1");
        ObjectName name = new ObjectName("org.apache.flume.sink:type=k1");
        assertEquals(new TreeSet<>(FLUME_SINK), attributeNames(name));
        assertEquals("SINK", server.getAttribute(name, "Type"));
    }

    @Test
    void attributesAreReadLive() throws Exception {
        ComponentCounters counters = metrics.counters("a1", ComponentKind.SOURCE, "r1");
        ObjectName name = new ObjectName("org.apache.flume.source:type=r1");

        counters.addToEventReceivedCount(7);
        assertEquals(7L, server.getAttribute(name, "EventReceivedCount"));
        counters.addToEventReceivedCount(3);
        counters.markStarted();
        assertEquals(10L, server.getAttribute(name, "EventReceivedCount"));
        assertEquals(counters.get(ComponentCounters.START_TIME), server.getAttribute(name, "StartTime"));
        assertNotEquals(0L, server.getAttribute(name, "StartTime"));
    }

    @Test
    void aCounterAddedWhileRunningBecomesAnAttribute() throws Exception {
        ComponentCounters counters = metrics.counters("a1", ComponentKind.SINK, "k1");
        ObjectName name = new ObjectName("org.apache.flume.sink:type=k1");
        assertFalse(attributeNames(name).contains("RollbackCount"));

        counters.add("RollbackCount", 2);

        assertTrue(attributeNames(name).contains("RollbackCount"));
        assertEquals(2L, server.getAttribute(name, "RollbackCount"));
    }

    @Test
    void unknownAttributesAndWritesAreRefused() throws Exception {
        metrics.counters("a1", ComponentKind.SOURCE, "r1");
        ObjectName name = new ObjectName("org.apache.flume.source:type=r1");
        assertThrows(AttributeNotFoundException.class, () -> server.getAttribute(name, "NoSuchCounter"));
        assertThrows(AttributeNotFoundException.class,
                () -> server.setAttribute(name, new javax.management.Attribute("EventReceivedCount", 5L)));
        assertEquals(0L, server.getAttribute(name, "EventReceivedCount"));
    }

    @Test
    void countersAreCreatedOnceAndKeptUntilRemoved() {
        ComponentCounters first = metrics.counters("a1", ComponentKind.SOURCE, "r1");
        first.addToEventReceivedCount(4);

        assertSame(first, metrics.counters("a1", ComponentKind.SOURCE, "r1"));
        assertEquals(1, metrics.all().size());
    }

    @Test
    void sameNameInTwoAgentsQualifiesTheSecondWithItsAgent() throws Exception {
        ComponentCounters a1 = metrics.counters("a1", ComponentKind.SOURCE, "r1");
        ComponentCounters a2 = metrics.counters("a2", ComponentKind.SOURCE, "r1");
        a1.addToEventReceivedCount(1);
        a2.addToEventReceivedCount(2);

        ObjectName plain = new ObjectName("org.apache.flume.source:type=r1");
        ObjectName qualified = new ObjectName("org.apache.flume.source:type=r1,agent=a2");
        assertEquals(1L, server.getAttribute(plain, "EventReceivedCount"));
        assertEquals(2L, server.getAttribute(qualified, "EventReceivedCount"));
        assertEquals(qualified, metrics.objectName("a2", ComponentKind.SOURCE, "r1"));
    }

    @Test
    void sameNameOfAnotherKindIsNotQualified() throws Exception {
        metrics.counters("a1", ComponentKind.SOURCE, "x");
        metrics.counters("a1", ComponentKind.SINK, "x");

        assertTrue(server.isRegistered(new ObjectName("org.apache.flume.source:type=x")));
        assertTrue(server.isRegistered(new ObjectName("org.apache.flume.sink:type=x")));
    }

    @Test
    void aQualifiedNameIsKeptWhenTheFirstAgentGoesAway() throws Exception {
        metrics.counters("a1", ComponentKind.SOURCE, "r1");
        metrics.counters("a2", ComponentKind.SOURCE, "r1");

        metrics.remove("a1", ComponentKind.SOURCE, "r1");

        assertFalse(server.isRegistered(new ObjectName("org.apache.flume.source:type=r1")));
        assertTrue(server.isRegistered(new ObjectName("org.apache.flume.source:type=r1,agent=a2")));
    }

    @Test
    void removeUnregistersAndForgets() throws Exception {
        ComponentCounters before = metrics.counters("a1", ComponentKind.CHANNEL, "c1");
        before.addToEventPutSuccessCount(3);

        metrics.remove("a1", ComponentKind.CHANNEL, "c1");

        assertFalse(server.isRegistered(new ObjectName("org.apache.flume.channel:type=c1")));
        assertTrue(metrics.all().isEmpty());
        ComponentCounters after = metrics.counters("a1", ComponentKind.CHANNEL, "c1");
        assertEquals(0L, after.get(ComponentCounters.EVENT_PUT_SUCCESS));
        assertTrue(server.isRegistered(new ObjectName("org.apache.flume.channel:type=c1")));
    }

    @Test
    void removingUnknownCountersDoesNothing() {
        metrics.counters("a1", ComponentKind.SINK, "k1");
        metrics.remove("a1", ComponentKind.SINK, "k2");
        metrics.remove("a9", ComponentKind.SINK, "k1");
        assertEquals(1, metrics.all().size());
    }

    @Test
    void closeUnregistersEveryMBeanItRegisteredAndNoOther() throws Exception {
        ObjectName foreign = new ObjectName("org.apache.flume.other:type=foreign");
        server.registerMBean(new CountersDynamicMBean(ComponentCounters.forSource("elsewhere", "foreign")), foreign);
        metrics.counters("a1", ComponentKind.SOURCE, "r1");
        metrics.counters("a2", ComponentKind.SOURCE, "r1");
        metrics.counters("a1", ComponentKind.CHANNEL, "c1");
        metrics.counters("a1", ComponentKind.SINK, "k1");

        metrics.close();

        assertEquals(Set.of(foreign), server.queryNames(new ObjectName("org.apache.flume*:*"), null));
        assertTrue(metrics.all().isEmpty());
    }

    @Test
    void aStaleMBeanOfTheSameNameIsReplacedAsFlumeDoes() throws Exception {
        JmxMetrics earlier = new JmxMetrics(server);
        earlier.counters("a1", ComponentKind.SOURCE, "r1").addToEventReceivedCount(9);

        ComponentCounters now = metrics.counters("a1", ComponentKind.SOURCE, "r1");
        now.addToEventReceivedCount(1);

        ObjectName name = new ObjectName("org.apache.flume.source:type=r1");
        assertEquals(1L, server.getAttribute(name, "EventReceivedCount"));
        assertEquals(name, metrics.objectName("a1", ComponentKind.SOURCE, "r1"));
    }

    @Test
    void namesWithCharactersJmxReservesAreQuoted() throws Exception {
        metrics.counters("a1", ComponentKind.SINK, "k=1,\"x\"");

        ObjectName name = metrics.objectName("a1", ComponentKind.SINK, "k=1,\"x\"");
        assertEquals("org.apache.flume.sink", name.getDomain());
        assertEquals("k=1,\"x\"", ObjectName.unquote(name.getKeyProperty("type")));
        assertTrue(server.isRegistered(name));
    }

    @Test
    void sinkGroupsAreSinkProcessorsInFlumesTerms() throws Exception {
        ComponentCounters group = metrics.counters("a1", ComponentKind.SINKGROUP, "g1");
        group.add("FailoverCount", 1);

        ObjectName name = new ObjectName("org.apache.flume.sink_processor:type=g1");
        assertEquals("SINK_PROCESSOR", server.getAttribute(name, "Type"));
        assertEquals(1L, server.getAttribute(name, "FailoverCount"));
    }

    @Test
    void theDefaultServerIsThePlatformMBeanServer() throws Exception {
        JmxMetrics platform = new JmxMetrics();
        String unique = "jmx-metrics-test-" + System.nanoTime();
        try {
            platform.counters("a1", ComponentKind.SOURCE, unique);
            assertTrue(ManagementFactory.getPlatformMBeanServer()
                    .isRegistered(new ObjectName("org.apache.flume.source:type=" + unique)));
        } finally {
            platform.close();
        }
        assertFalse(ManagementFactory.getPlatformMBeanServer()
                .isRegistered(new ObjectName("org.apache.flume.source:type=" + unique)));
    }
}
