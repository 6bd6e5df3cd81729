package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import org.sluice.itests.osgi.support.Await;
import org.sluice.itests.osgi.support.Bundles;
import org.sluice.itests.osgi.support.NetcatFeeder;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

/**
 * A third party's custom sink, unchanged from Maven Central: Apache Spark's Flume sink
 * ({@code spark-streaming-flume-sink_2.11} 2.4.7, {@code org.apache.spark.streaming.flume.sink.SparkSink}), in a
 * plugins.d directory with the libraries it was published with (Scala, Avro IPC 1.8 and Netty 3 in libext/). The
 * sink serves batches over Avro RPC to Spark's polling receiver; the probe plays the receiver with Spark's own
 * protocol classes from the plugin: events arrive, a nack puts them back, an ack takes them out of the channel.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class FlumeThirdPartySinkIT {
    private static final String PROTOCOL = "org.apache.spark.streaming.flume.sink.SparkFlumeProtocol";

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return options(SluiceOptions.kernel(), SluiceOptions.fileInstall(),
                frameworkProperty("sluice.flume.plugins.path").value(System.getProperty("sluice.itests.flume.plugins")),
                SluiceOptions.plugins("source:netcat", "channel_selector:replicating", "channel:memory"));
    }

    @Test
    public void sparksSinkServesEveryEventAndKeepsWhatItWasNotAcknowledged() throws Exception {
        int sourcePort = NetcatFeeder.freePort();
        int sinkPort = NetcatFeeder.freePort();
        AgentConfigurations.agent(admin, "a1")
                .channel("c1", Map.of("type", "memory", "capacity", "10000", "transactionCapacity", "1000"))
                .sink("k1", Map.of("type", "org.apache.spark.streaming.flume.sink.SparkSink", "channel", "c1",
                        "hostname", "127.0.0.1", "port", Integer.toString(sinkPort)))
                .source("r1", Map.of("type", "netcat", "bind", "127.0.0.1", "port", Integer.toString(sourcePort),
                        "channels", "c1"));
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        ComponentStatus sink = a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
        assertEquals(sink.toString(), "flume.plugin.spark", sink.providerBundle());
        a1.await(ComponentKind.SOURCE, "r1", ComponentState.RUNNING);
        NetcatFeeder feeder = NetcatFeeder.start(sourcePort);
        feeder.finishAt(100);

        SparkReceiver receiver = new SparkReceiver(Bundles.classLoader(Bundles.installed(context,
                "flume.plugin.spark")), sinkPort);
        try {
            // A batch refused by the receiver (nack) goes back to the channel and is served again.
            Batch first = receiver.nextBatch();
            assertTrue(first.toString(), !first.bodies().isEmpty());
            receiver.nack(first);
            Set<Long> received = new HashSet<>();
            Await.until("every event served to the receiver and acknowledged", () -> {
                try {
                    Batch batch = receiver.nextBatch();
                    batch.bodies().forEach(body -> received.add(Long.parseLong(body)));
                    receiver.ack(batch);
                } catch (Exception e) {
                    throw new AssertionError("Spark's receiver protocol failed", e);
                }
                return received.size();
            }, size -> size == 100);
            assertTrue("the nacked events came again", received.containsAll(first.numbers()));
        } finally {
            receiver.close();
        }
        // Acknowledged events left the channel: the sink's transactions committed.
        Await.until("the memory channel emptied by the acknowledged batches",
                () -> new AgentStatuses(runtime, "a1").all().size(), any -> channelSize("c1") == 0);
    }

    private static long channelSize(String channel) {
        try {
            Object value = java.lang.management.ManagementFactory.getPlatformMBeanServer().getAttribute(
                    new javax.management.ObjectName("org.apache.flume.channel:type=" + channel), "ChannelSize");
            return value instanceof Number number ? number.longValue() : Long.parseLong(String.valueOf(value));
        } catch (Exception e) {
            return -1;
        }
    }

    /** One batch the sink served. */
    private record Batch(CharSequence sequenceNumber, List<String> bodies, String error) {
        Set<Long> numbers() {
            Set<Long> numbers = new HashSet<>();
            bodies.forEach(body -> numbers.add(Long.parseLong(body)));
            return numbers;
        }
    }

    /**
     * Spark's polling receiver, in short: Avro RPC with Spark's own generated protocol interface, and the Avro IPC
     * client classes, all loaded from the plugin's bundle (the probe shares none of them).
     */
    private static final class SparkReceiver {
        private final ClassLoader loader;
        private final Class<?> protocol;
        private final Object transceiver;
        private final Object client;

        SparkReceiver(ClassLoader loader, int port) throws Exception {
            this.loader = loader;
            this.protocol = loader.loadClass(PROTOCOL);
            // Netty's I/O threads run with the plugin's class loader as context loader, as the threads of a process
            // of Spark's (which has these classes on its class path) would: Avro looks record classes up through it.
            java.util.concurrent.ThreadFactory threads = runnable -> {
                Thread thread = new Thread(runnable, "spark-receiver-io");
                thread.setDaemon(true);
                thread.setContextClassLoader(loader);
                return thread;
            };
            Class<?> channelFactoryType = loader.loadClass("org.jboss.netty.channel.ChannelFactory");
            Object channelFactory = loader.loadClass("org.jboss.netty.channel.socket.nio.NioClientSocketChannelFactory")
                    .getConstructor(java.util.concurrent.Executor.class, java.util.concurrent.Executor.class)
                    .newInstance(java.util.concurrent.Executors.newCachedThreadPool(threads),
                            java.util.concurrent.Executors.newCachedThreadPool(threads));
            Class<?> transceiverType = loader.loadClass("org.apache.avro.ipc.NettyTransceiver");
            this.transceiver = transceiverType.getConstructor(InetSocketAddress.class, channelFactoryType)
                    .newInstance(new InetSocketAddress("127.0.0.1", port), channelFactory);
            Method getClient = loader.loadClass("org.apache.avro.ipc.specific.SpecificRequestor")
                    .getMethod("getClient", Class.class, loader.loadClass("org.apache.avro.ipc.Transceiver"));
            this.client = inPlugin(() -> getClient.invoke(null, protocol, transceiver));
        }

        Batch nextBatch() throws Exception {
            Object batch = inPlugin(() -> protocol.getMethod("getEventBatch", int.class).invoke(client, 50));
            List<?> events = (List<?>) batch.getClass().getMethod("getEvents").invoke(batch);
            List<String> bodies = new java.util.ArrayList<>();
            for (Object event : events) {
                ByteBuffer body = (ByteBuffer) event.getClass().getMethod("getBody").invoke(event);
                byte[] bytes = new byte[body.remaining()];
                body.duplicate().get(bytes);
                bodies.add(new String(bytes, StandardCharsets.UTF_8));
            }
            Object error = batch.getClass().getMethod("getErrorMsg").invoke(batch);
            CharSequence sequence = (CharSequence) batch.getClass().getMethod("getSequenceNumber").invoke(batch);
            return new Batch(sequence, bodies, error == null ? "" : error.toString());
        }

        void ack(Batch batch) throws Exception {
            if (batch.error().isEmpty()) {
                inPlugin(() -> protocol.getMethod("ack", CharSequence.class).invoke(client, batch.sequenceNumber()));
            }
        }

        void nack(Batch batch) throws Exception {
            inPlugin(() -> protocol.getMethod("nack", CharSequence.class).invoke(client, batch.sequenceNumber()));
        }

        void close() throws Exception {
            transceiver.getClass().getMethod("close").invoke(transceiver);
        }

        private <T> T inPlugin(Call<T> call) throws Exception {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                return call.run();
            } finally {
                thread.setContextClassLoader(previous);
            }
        }

        private interface Call<T> {
            T run() throws Exception;
        }
    }
}
