package org.sluice.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.condition.Condition;

class DeferredPluginsTest {
    private static final String SOURCE = "org.sluice.api.source.SourceFactory";
    private static final String CHANNEL = "org.sluice.api.channel.ChannelFactory";
    private static final String SINK = "org.sluice.api.sink.SinkFactory";

    @TempDir
    Path storage;

    private final Path netcat = Path.of("/deploy/netcat.jar");
    private final Path memory = Path.of("/deploy/memory.jar");
    private final Path fileRoll = Path.of("/deploy/fileroll.jar");
    private final Path kafka = Path.of("/deploy/kafka.jar");
    private final Path selectors = Path.of("/deploy/selectors.jar");
    private final Path library = Path.of("/deploy/avro.jar");
    private final Path serializer = Path.of("/deploy/serializer.jar");

    private Map<Path, Map<String, Set<String>>> deploy() {
        Map<Path, Map<String, Set<String>>> declared = new LinkedHashMap<>();
        declared.put(netcat, Map.of(SOURCE, Set.of("netcat", "org.apache.flume.source.NetcatSource")));
        declared.put(memory, Map.of(CHANNEL, Set.of("memory", "org.apache.flume.channel.MemoryChannel")));
        declared.put(fileRoll, Map.of(SINK, Set.of("file_roll")));
        declared.put(kafka, Map.of(SOURCE, Set.of("kafka"), CHANNEL, Set.of("kafka"), SINK, Set.of("kafka")));
        declared.put(selectors, Map.of("org.sluice.api.selector.ChannelSelectorFactory", Set.of("replicating")));
        declared.put(library, Map.of());
        declared.put(serializer, Map.of("org.sluice.api.format.EventSerializerFactory", Set.of("my_format")));
        return declared;
    }

    private static Optional<ConfiguredTypes> configured(Set<String> componentTypes, Set<String> otherValues) {
        Set<String> values = new java.util.HashSet<>(componentTypes);
        values.addAll(otherValues);
        return Optional.of(new ConfiguredTypes(componentTypes, values));
    }

    @Test
    void thePluginsTheConfigurationDoesNotNameWaitLibrariesAndTheDefaultSelectorNever() {
        assertEquals(Set.of(kafka, serializer), DeferredPlugins.choose(deploy(),
                configured(Set.of("org.apache.flume.source.NetcatSource", "MEMORY", "file_roll"), Set.of())));
        // A part a sink looks up by name is a value of the configuration too.
        assertEquals(Set.of(kafka), DeferredPlugins.choose(deploy(),
                configured(Set.of("netcat", "memory", "file_roll"), Set.of("my_format"))));
    }

    @Test
    void everyPluginStartsWithTheKernelWhenTheLauncherCannotAccountForATypeOrReadTheConfiguration() {
        // A Flume class of plugins.d, a bundle registering its factories itself, or a typo.
        assertEquals(Set.of(), DeferredPlugins.choose(deploy(),
                configured(Set.of("netcat", "memory", "org.example.MySink"), Set.of())));
        assertEquals(Set.of(), DeferredPlugins.choose(deploy(),
                configured(Set.of("netcat", "memory", "${SINK_TYPE}"), Set.of())));
        assertEquals(Set.of(), DeferredPlugins.choose(deploy(), Optional.empty()));
    }

    @Test
    void theFrameworkReachesTheDeferredLevelWhenTheAgentRunsAndNotForAnotherAgent() throws Exception {
        Felix framework = framework();
        try {
            DeferredPlugins.startOnceRunning(framework, "a(1)", 3, 2, 600);
            condition(framework, "a2");
            await("the level staying at 1 for another agent's condition").during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> framework.adapt(FrameworkStartLevel.class).getStartLevel() == 1);
            condition(framework, "a(1)");
            await("start level 3").atMost(Duration.ofSeconds(30))
                    .until(() -> framework.adapt(FrameworkStartLevel.class).getStartLevel() == 3);
        } finally {
            framework.stop();
            framework.waitForStop(30_000);
        }
    }

    @Test
    void theFrameworkReachesTheDeferredLevelAfterTheBoundIfTheAgentNeverRuns() throws Exception {
        Felix framework = framework();
        try {
            DeferredPlugins.startOnceRunning(framework, "a1", 4, 2, 1);
            await("start level 4").atMost(Duration.ofSeconds(30))
                    .until(() -> framework.adapt(FrameworkStartLevel.class).getStartLevel() == 4);
        } finally {
            framework.stop();
            framework.waitForStop(30_000);
        }
    }

    private Felix framework() throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        Felix framework = new Felix(properties);
        framework.start();
        return framework;
    }

    private static void condition(Felix framework, String agent) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Condition.CONDITION_ID, DeferredPlugins.STARTED_CONDITION);
        properties.put(DeferredPlugins.AGENT_PROPERTY, agent);
        framework.getBundleContext().registerService(Condition.class, Condition.INSTANCE, properties);
    }
}
