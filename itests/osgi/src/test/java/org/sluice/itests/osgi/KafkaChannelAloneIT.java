package org.sluice.itests.osgi;

import static org.ops4j.pax.exam.CoreOptions.options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

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
import org.sluice.itests.osgi.support.FileRollOutput;
import org.sluice.itests.osgi.support.KafkaTestBroker;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;

/**
 * The two ways Flume's guide uses a Kafka channel without one side of the agent, in one framework against a real
 * broker: agent {@code producer} has a source and the channel but no sink (events go into the topic for others to
 * read), agent {@code consumer} has the channel and a sink but no source (what others wrote to the topic is
 * delivered). Every number the sequence generated reaches the consumer's file_roll output.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KafkaChannelAloneIT {

    private static final long EVENTS = 5_000;

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Configuration
    public Option[] configuration() throws Exception {
        KafkaTestBroker.start();
        return options(SluiceOptions.kernel(), SluiceOptions.plugins("source:seq", "channel_selector:replicating",
                "sink:file_roll", "source:kafka"), KafkaTestBroker.address());
    }

    @Test
    public void aChannelWithoutASinkFillsTheTopicAndAChannelWithoutASourceDrainsIt() throws Exception {
        String servers = KafkaTestBroker.bootstrapServers();
        Path output = Files.createDirectory(WorkDirs.create("kafka-channel-alone").resolve("out"));
        AgentConfigurations.agent(admin, "consumer")
                .channel("c1", Map.of("type", "org.apache.flume.channel.kafka.KafkaChannel",
                        "kafka.bootstrap.servers", servers, "kafka.topic", "channel-alone",
                        "kafka.consumer.group.id", "g-consumer-agent",
                        "kafka.consumer.auto.offset.reset", "earliest"))
                .sink("k1", Map.of("type", "file_roll", "channel", "c1", "sink.directory", output.toString(),
                        "sink.batchSize", "500"));
        AgentConfigurations.agent(admin, "producer")
                .channel("c1", Map.of("type", "org.apache.flume.channel.kafka.KafkaChannel",
                        "kafka.bootstrap.servers", servers, "kafka.topic", "channel-alone",
                        "kafka.consumer.group.id", "g-producer-agent"))
                .source("r1", Map.of("type", "seq", "channels", "c1", "batchSize", "100",
                        "totalEvents", Long.toString(EVENTS)));
        AgentStatuses consumer = new AgentStatuses(runtime, "consumer");
        AgentStatuses producer = new AgentStatuses(runtime, "producer");
        consumer.await(ComponentKind.CHANNEL, "c1", ComponentState.RUNNING);
        consumer.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);
        producer.await(ComponentKind.CHANNEL, "c1", ComponentState.RUNNING);

        FileRollOutput written = new FileRollOutput(output);
        Await.until("the consumer agent's file_roll output with every number from 0 to " + (EVENTS - 1),
                written::numbers, numbers -> FileRollOutput.missing(numbers, 0, EVENTS).isEmpty(),
                Duration.ofSeconds(120));
    }
}
