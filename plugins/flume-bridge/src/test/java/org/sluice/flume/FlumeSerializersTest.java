package org.sluice.flume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.format.EventSerializer;
import org.sluice.api.interceptor.HeaderValueSerializer;
import org.sluice.testkit.TestContexts;

/**
 * The named parts inside components that a Flume plugin may provide, exercised with Flume 1.11.0's own classes as the
 * plugin: its serializers of file_roll and hdfs, and regex_extractor's header serializers.
 */
class FlumeSerializersTest {
    private static final PluginClasses FLUME = PluginClasses.of(FlumeSerializersTest.class.getClassLoader(), "flume");

    @TempDir
    Path work;

    @Test
    void flumesAvroSerializerWritesAContainerFileFromAfterCreateToBeforeClose() throws Exception {
        // As file_roll's sink.serializer = avro_event gets it: Flume's own class, embedded in the bridge.
        ComponentContext sink = TestContexts.plain(ComponentKind.SINK, "k1", Map.of("sink.serializer", "avro_event"));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        EventSerializer serializer = new FlumeAvroEventSerializers().create(sink, "sink.serializer.", file);
        serializer.afterCreate();
        serializer.write(EventBuilder.withBody("first", StandardCharsets.UTF_8, Map.of("host", "web1")));
        serializer.write(EventBuilder.withBody("second", StandardCharsets.UTF_8));
        serializer.flush();
        serializer.beforeClose();

        List<String> bodies = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        try (DataFileStream<GenericRecord> records = new DataFileStream<>(
                new ByteArrayInputStream(file.toByteArray()), new GenericDatumReader<>())) {
            for (GenericRecord record : records) {
                bodies.add(StandardCharsets.UTF_8.decode((ByteBuffer) record.get("body")).toString());
                Object host = ((Map<?, ?>) record.get("headers")).entrySet().stream()
                        .filter(e -> e.getKey().toString().equals("host")).map(Map.Entry::getValue).findFirst()
                        .orElse(null);
                hosts.add(host == null ? null : host.toString());
            }
        }
        assertEquals(List.of("first", "second"), bodies);
        assertEquals(java.util.Arrays.asList("web1", null), hosts);
    }

    @Test
    void aFlumeSerializerIsBuiltWithTheSinksKeysUnderItsPrefix() throws Exception {
        ComponentContext sink = TestContexts.plain(ComponentKind.SINK, "k1", Map.of(
                "sink.serializer", "org.apache.flume.serialization.HeaderAndBodyTextEventSerializer$Builder",
                "sink.serializer.appendNewline", "false", "appendNewline", "true"));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        EventSerializer serializer = new FlumeSerializers(FLUME,
                "org.apache.flume.serialization.HeaderAndBodyTextEventSerializer$Builder")
                .create(sink, "sink.serializer.", file);
        serializer.afterCreate();
        serializer.write(EventBuilder.withBody("a", StandardCharsets.UTF_8, Map.of("k", "v")));
        serializer.write(EventBuilder.withBody("b", StandardCharsets.UTF_8));
        serializer.flush();

        assertEquals("{k=v} a{} b", file.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aClassThatIsNoSerializerBuilderIsRefusedNamingTheSinksKey() {
        ComponentContext sink = TestContexts.plain(ComponentKind.SINK, "k1", Map.of());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> new FlumeSerializers(FLUME,
                "org.apache.flume.source.SequenceGeneratorSource").create(sink, "serializer.",
                new ByteArrayOutputStream()));
        assertEquals("serializer", e.key());
        assertTrue(e.getMessage().contains("EventSerializer$Builder"), e.getMessage());
    }

    @Test
    void flumesMillisSerializerTurnsAnExtractedDateIntoTheHeaderValue() throws Exception {
        ComponentContext interceptor = TestContexts.plain(ComponentKind.INTERCEPTOR, "r1.interceptors.i1", Map.of(
                "serializers.s1.type", "org.apache.flume.interceptor.RegexExtractorInterceptorMillisSerializer",
                "serializers.s1.name", "timestamp", "serializers.s1.pattern", "yyyy-MM-dd HH:mm Z"));
        HeaderValueSerializer serializer = new FlumeHeaderSerializers(FLUME,
                "org.apache.flume.interceptor.RegexExtractorInterceptorMillisSerializer")
                .create(interceptor, "serializers.s1.");

        assertEquals("1350475200000", serializer.serialize("2012-10-17 12:00 +0000"));
    }

    @Test
    void aHeaderSerializerThatRefusesItsKeysFailsNamingTheSerializersType() {
        ComponentContext interceptor = TestContexts.plain(ComponentKind.INTERCEPTOR, "r1.interceptors.i1", Map.of());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> new FlumeHeaderSerializers(FLUME,
                "org.apache.flume.interceptor.RegexExtractorInterceptorMillisSerializer")
                .create(interceptor, "serializers.s1."));
        assertEquals("serializers.s1.type", e.key());
    }

    @Test
    void aPluginsSerializerAndDeserializerBuildersAndHeaderSerializersAreFoundAndOffered() throws Exception {
        // flume-ng-core as the plugin jar: its classes are compiled against Flume's API as a third party's are.
        Path core = PluginBundleMakerTest.jarOf("org.apache.flume.serialization.BodyTextEventSerializer");
        File bundle = work.resolve("bundle.jar").toFile();
        PluginComponents components = new PluginBundleMaker(getClass().getClassLoader()).make(new PluginSource(
                "flume.jar.core", "1.11.0", "flume-ng-core-1.11.0.jar", List.of(core), List.of(), true), bundle);

        assertEquals(FlumeKind.SERIALIZER,
                components.classes().get("org.apache.flume.serialization.BodyTextEventSerializer$Builder"));
        assertEquals(FlumeKind.SERIALIZER,
                components.classes().get("org.apache.flume.serialization.FlumeEventAvroEventSerializer$Builder"));
        assertEquals(FlumeKind.HEADER_SERIALIZER,
                components.classes().get("org.apache.flume.interceptor.RegexExtractorInterceptorMillisSerializer"));
        assertEquals(FlumeKind.DESERIALIZER,
                components.classes().get("org.apache.flume.serialization.LineDeserializer$Builder"));
        assertTrue(FlumeKind.DESERIALIZER.factory(FLUME, "x")
                instanceof org.sluice.api.format.EventDeserializerFactory);
        assertTrue(FlumeKind.SERIALIZER.factory(FLUME, "x") instanceof org.sluice.api.format.EventSerializerFactory);
        assertTrue(FlumeKind.HEADER_SERIALIZER.factory(FLUME, "x")
                instanceof org.sluice.api.interceptor.HeaderValueSerializerFactory);
    }
}
