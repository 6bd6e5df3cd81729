package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
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
import org.sluice.itests.osgi.support.ClassLoaderLeftovers;
import org.sluice.itests.osgi.support.MiniHdfs;
import org.sluice.itests.osgi.support.PluginCatalog;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.itests.osgi.support.WebHdfs;
import org.sluice.itests.osgi.support.WorkDirs;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;

/**
 * The hdfs sink bundle, with Hadoop's client embedded, runs in Felix: seq -> memory -> hdfs on a file:// path,
 * gzip-compressed, and on an hdfs:// path of a MiniDFSCluster started beside the framework. It proves what only a framework shows: Hadoop finds its FileSystem implementations, codecs,
 * default resources and login module through the bundle's class loader, and the bundle resolves with the kernel
 * and the library bundles deploy/ has beside it (Avro and its codecs, snappy-java).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HdfsSinkIT {

    private static final long EVENTS = 300;

    @Inject
    private ConfigurationAdmin admin;

    @Inject
    private AgentRuntime runtime;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() throws IOException {
        // Runs outside the framework: the cluster lives on the test class path, which bundles do not see.
        MiniHdfs.start();
        return options(SluiceOptions.kernel(), SluiceOptions.plugins("source:seq", "channel_selector:replicating",
                "channel:memory", "sink:hdfs"), MiniHdfs.addresses());
    }

    @Test
    public void seqThroughMemoryIntoARealHdfs() {
        AgentConfigurations.agent(admin, "a1")
                .channel("c1", Map.of("type", "memory", "capacity", "1000"))
                .sink("k1", Map.of("type", "hdfs", "channel", "c1", "hdfs.path", MiniHdfs.uri() + "/flume/it",
                        "hdfs.fileType", "DataStream", "hdfs.rollCount", "100", "hdfs.rollSize", "0",
                        "hdfs.batchSize", "50", "hdfs.config.dfs.replication", "1"))
                .source("r1", Map.of("type", "seq", "channels", "c1", "totalEvents", Long.toString(EVENTS)));
        new AgentStatuses(runtime, "a1").await(ComponentKind.SINK, "k1", ComponentState.RUNNING);

        // Read back over WebHDFS: the probe has no Hadoop classes, and needs none.
        WebHdfs webHdfs = MiniHdfs.webHdfs();
        Await.until("three files rolled and renamed in HDFS", () -> closedFiles(webHdfs), files -> files.size() == 3);
        Set<Long> numbers = new TreeSet<>();
        for (String file : closedFiles(webHdfs)) {
            for (String line : webHdfs.read("/flume/it/" + file).split("\n")) {
                numbers.add(Long.parseLong(line.trim()));
            }
        }
        assertEquals(EVENTS, numbers.size());
    }

    private static java.util.List<String> closedFiles(WebHdfs webHdfs) {
        return webHdfs.list("/flume/it").stream().filter(name -> name.matches("FlumeData\\.\\d+")).toList();
    }

    @Test
    public void seqThroughMemoryIntoHdfsOnTheLocalFileSystem() {
        Path output = WorkDirs.create("hdfs-sink");
        AgentConfigurations.agent(admin, "a1")
                .channel("c1", Map.of("type", "memory", "capacity", "1000"))
                .sink("k1", Map.of("type", "hdfs", "channel", "c1", "hdfs.path", output.toUri().toString(),
                        "hdfs.fileType", "CompressedStream", "hdfs.codeC", "gzip", "hdfs.rollCount", "100",
                        "hdfs.rollSize", "0", "hdfs.batchSize", "50"))
                .source("r1", Map.of("type", "seq", "channels", "c1", "totalEvents", Long.toString(EVENTS)));

        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        a1.await(ComponentKind.SINK, "k1", ComponentState.RUNNING);

        // rollCount 100: three files, each complete, renamed (no in-use suffix) and gzip-compressed.
        Await.until("three files rolled and renamed in " + output, () -> finalFiles(output), count -> count == 3);
        Set<Long> written = numbers(output);
        assertEquals(EVENTS, written.size());
        assertEquals(EVENTS - 1, (long) ((TreeSet<Long>) written).last());
    }

    /**
     * avro_event files of every codec Avro has, written inside the framework through the Avro, commons-compress and
     * codec bundles the sink imports (the native libraries of snappy and zstandard loaded by the framework), and read
     * back here with Avro's DataFileReader. Then the sink bundle is updated: the shared Avro bundle must not keep
     * anything of the old revision, whose class loader is collected.
     */
    @Test
    public void avroEventFilesOfEveryCodecAndNothingOfAnOldRevisionLeftInTheSharedAvroBundle() throws Exception {
        List<String> codecs = List.of("null", "deflate", "snappy", "bzip2", "xz", "zstandard");
        AgentConfigurations agent = AgentConfigurations.agent(admin, "a1");
        for (String codec : codecs) {
            agent.channel("c_" + codec, Map.of("type", "memory", "capacity", "1000"))
                    .sink("k_" + codec, Map.ofEntries(Map.entry("type", "hdfs"), Map.entry("channel", "c_" + codec),
                            Map.entry("hdfs.path", MiniHdfs.uri() + "/avro/" + codec),
                            Map.entry("hdfs.config.dfs.replication", "1"),
                            Map.entry("hdfs.fileType", "DataStream"), Map.entry("hdfs.fileSuffix", ".avro"),
                            Map.entry("serializer", "avro_event"), Map.entry("serializer.compressionCodec", codec),
                            Map.entry("hdfs.rollInterval", "1"), Map.entry("hdfs.rollCount", "0"),
                            Map.entry("hdfs.rollSize", "0"), Map.entry("hdfs.batchSize", "50")));
        }
        agent.source("r1", Map.of("type", "seq", "channels", String.join(" ", codecs.stream().map(c -> "c_" + c)
                .toList()), "totalEvents", Long.toString(EVENTS)));
        AgentStatuses a1 = new AgentStatuses(runtime, "a1");
        for (String codec : codecs) {
            a1.await(ComponentKind.SINK, "k_" + codec, ComponentState.RUNNING);
        }

        WebHdfs webHdfs = MiniHdfs.webHdfs();
        for (String codec : codecs) {
            Set<Long> numbers = Await.until("every event in the " + codec + " files",
                    () -> avroNumbers(webHdfs, "/avro/" + codec, codec), found -> found.size() == EVENTS);
            assertEquals(EVENTS - 1, (long) ((TreeSet<Long>) numbers).last());
        }

        Bundle sink = Bundles.installed(context, PluginCatalog.load().bundleFor(ComponentKind.SINK, "hdfs")
                .symbolicName());
        WeakReference<ClassLoader> old = new WeakReference<>(Bundles.classLoader(sink));
        sink.update();
        for (String codec : codecs) {
            a1.await(ComponentKind.SINK, "k_" + codec, ComponentState.RUNNING);
        }
        ClassLoaderLeftovers.awaitNoThreads("the hdfs sink bundle's revision before the update", old);
        ClassLoaderLeftovers.awaitCollected("the hdfs sink bundle's revision before the update", old);
    }

    /** The bodies (numbers) of the Avro records in the renamed files of {@code directory}, checking their codec. */
    private static Set<Long> avroNumbers(WebHdfs webHdfs, String directory, String codec) {
        Set<Long> numbers = new TreeSet<>();
        for (String name : webHdfs.list(directory)) {
            if (!name.matches("FlumeData\\.\\d+\\.avro")) {
                continue; // a file still in use
            }
            try (DataFileReader<GenericRecord> reader = new DataFileReader<>(
                    new SeekableByteArrayInput(webHdfs.readBytes(directory + "/" + name)), new GenericDatumReader<>())) {
                assertEquals(codec, reader.getMetaString("avro.codec"));
                for (GenericRecord record : reader) {
                    ByteBuffer body = (ByteBuffer) record.get("body");
                    numbers.add(Long.parseLong(StandardCharsets.UTF_8.decode(body).toString().trim()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return numbers;
    }

    /** Every number in the sink's renamed files. */
    private static Set<Long> numbers(Path directory) {
        Set<Long> numbers = new TreeSet<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                if (!file.getFileName().toString().matches("FlumeData\\.\\d+\\.gz")) {
                    continue; // Hadoop's local checksum files, a file still in use
                }
                String content;
                try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
                    content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                int end = content.lastIndexOf('\n');
                if (end >= 0) {
                    for (String line : content.substring(0, end).split("\n", -1)) {
                        numbers.add(Long.parseLong(line.trim()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return numbers;
    }

    private static long finalFiles(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.matches("FlumeData\\.\\d+\\.gz")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
