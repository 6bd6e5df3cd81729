package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.component.ComponentKind;
import org.sluice.itests.osgi.support.AgentConfigurations;
import org.sluice.itests.osgi.support.AgentStatuses;
import org.sluice.itests.osgi.support.Await;
import org.sluice.itests.osgi.support.Bundles;
import org.sluice.itests.osgi.support.ClassLoaderLeftovers;
import org.sluice.itests.osgi.support.FileRollOutput;
import org.sluice.itests.osgi.support.FlumeCounters;
import org.sluice.itests.osgi.support.KafkaTestBroker;
import org.sluice.itests.osgi.support.PluginCatalog;
import org.sluice.itests.osgi.support.PluginCatalog.PluginBundle;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

/**
 * The kafka bundle (the Kafka client embedded) inside Felix, installed from its jar as deploy/ installs it, against
 * a real broker: seq -> memory -> Kafka sink (SASL_SSL, SCRAM) -> topic -> Kafka source -> Kafka channel -> file_roll,
 * so all three components run, each creating its clients on a platform thread (the thread context class loader must be the
 * bundle's for the client to find its own classes by name). The bundle is updated twice and then uninstalled and
 * installed again while events flow: every number the sequence generated arrives (at least once, none missing),
 * and no Kafka thread of an old revision survives, nor its class loader.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KafkaBundleReloadIT {

    private static final long PROGRESS = 2_000;

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() throws Exception {
        KafkaTestBroker.start();
        return options(SluiceOptions.kernel(), SluiceOptions.plugins("source:seq", "channel_selector:replicating",
                "channel:memory", "sink:file_roll", "source:kafka"), KafkaTestBroker.address());
    }

    @Test
    public void updatesAndAReinstallWhileEventsFlowLoseNothingAndLeaveNoKafkaThreads() throws Exception {
        Path output = Files.createDirectory(WorkDirs.create("kafka-reload").resolve("out"));
        AgentStatuses a1 = startAgent(output);
        FileRollOutput written = new FileRollOutput(output);
        awaitContiguous(written, PROGRESS);
        assertTrue("the Kafka sink delivered", FlumeCounters.sink("k1", "EventDrainSuccessCount") > 0);

        Bundle kafka = Bundles.installed(context, kafkaPlugin().symbolicName());
        for (int update = 1; update <= 2; update++) {
            String revision = "the kafka bundle's revision before update " + update;
            WeakReference<ClassLoader> old = new WeakReference<>(Bundles.classLoader(kafka));
            assertTrue("Kafka's client threads run with the bundle's class loader: "
                    + ClassLoaderLeftovers.threads(old.get()), ClassLoaderLeftovers.threads(old.get()).stream()
                            .anyMatch(thread -> thread.contains("kafka-producer-network-thread")));
            long before = max(written);
            kafka.update();
            awaitRunning(a1);
            awaitContiguous(written, before + PROGRESS);
            ClassLoader current = Bundles.classLoader(kafka);
            assertNotEquals("update " + update + " gave the bundle a new class loader", old.get(), current);
            current = null;
            ClassLoaderLeftovers.awaitNoThreads(revision, old);
            ClassLoaderLeftovers.awaitCollected(revision, old);
        }

        // Uninstalled: the Kafka components wait, naming their type; the sequence waits in the memory channel.
        PluginBundle plugin = kafkaPlugin();
        WeakReference<ClassLoader> removed = new WeakReference<>(Bundles.classLoader(kafka));
        kafka.uninstall();
        kafka = null;
        ComponentStatus waiting = a1.awaitNotStarted(ComponentKind.SINK, "k1");
        assertEquals(waiting.toString(), ComponentState.WAITING, waiting.state());
        Bundles.refreshPending(context);
        ClassLoaderLeftovers.awaitNoThreads("the uninstalled kafka bundle", removed);
        ClassLoaderLeftovers.awaitCollected("the uninstalled kafka bundle", removed);

        long before = max(written);
        Bundles.deploy(context, plugin);
        awaitRunning(a1);
        awaitContiguous(written, before + PROGRESS);
    }

    /** seq -> c1 (memory) -> k1 (Kafka sink) -> topic -> r2 (Kafka source) -> ch2 (Kafka channel) -> k2 (file_roll). */
    private AgentStatuses startAgent(Path output) {
        String servers = KafkaTestBroker.bootstrapServers();
        AgentConfigurations.agent(admin, "a1")
                .channel("c1", Map.of("type", "memory", "capacity", "200000", "transactionCapacity", "1000"))
                .channel("ch2", Map.of("type", "org.apache.flume.channel.kafka.KafkaChannel",
                        "kafka.bootstrap.servers", servers, "kafka.topic", "reload-channel",
                        "kafka.consumer.group.id", "g-reload-channel"))
                // The sink logs in over SASL_SSL (SCRAM): Kafka loads the login module by name, through the
                // thread context class loader, which must be the bundle's.
                .sink("k1", secureSink())
                .sink("k2", Map.of("type", "file_roll", "channel", "ch2", "sink.directory", output.toString(),
                        "sink.batchSize", "500"))
                .source("r2", Map.of("type", "org.apache.flume.source.kafka.KafkaSource", "channels", "ch2",
                        "kafka.bootstrap.servers", servers, "kafka.topics", "reload-topic",
                        "kafka.consumer.group.id", "g-reload", "kafka.consumer.auto.offset.reset", "earliest",
                        "useFlumeEventFormat", "true", "batchSize", "500"))
                .source("r1", Map.of("type", "seq", "channels", "c1", "batchSize", "100"));
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        awaitRunning(a1);
        return a1;
    }

    private static Map<String, String> secureSink() {
        Map<String, String> keys = new java.util.HashMap<>(KafkaTestBroker.saslScram("kafka.producer."));
        keys.putAll(Map.of("type", "org.apache.flume.sink.kafka.KafkaSink", "channel", "c1", "kafka.topic",
                "reload-topic", "flumeBatchSize", "500", "useFlumeEventFormat", "true"));
        return keys;
    }

    private static void awaitRunning(AgentStatuses a1) {
        a1.await(ComponentKind.CHANNEL, "ch2", ComponentState.RUNNING);
        a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
        a1.await(ComponentKind.SINK, "k2", ComponentState.RUNNING);
        a1.await(ComponentKind.SOURCE, "r2", ComponentState.RUNNING);
    }

    /** Waits until the output holds every number from 0 to at least {@code target}, with no gap. */
    private static void awaitContiguous(FileRollOutput output, long target) {
        Await.until("file_roll output with every number from 0 to at least " + target + " (no gap)", output::numbers,
                numbers -> !numbers.isEmpty() && max(numbers) >= target && numbers.size() == max(numbers) + 1,
                java.time.Duration.ofSeconds(120));
    }

    private static long max(FileRollOutput output) {
        Set<Long> numbers = output.numbers();
        return numbers.isEmpty() ? 0 : max(numbers);
    }

    private static long max(Set<Long> numbers) {
        return ((TreeSet<Long>) numbers).last();
    }

    private static PluginBundle kafkaPlugin() {
        return PluginCatalog.load().bundleFor(ComponentKind.SOURCE, "kafka");
    }
}
