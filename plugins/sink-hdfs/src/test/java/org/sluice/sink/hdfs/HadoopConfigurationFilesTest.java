package org.sluice.sink.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flume finds core-site.xml and hdfs-site.xml on its class path, the agent's conf directory first; the sink looks in
 * the same places in the same order, each file taken from the first place that has it.
 */
class HadoopConfigurationFilesTest {
    @TempDir
    Path temp;

    @Test
    void theAgentsConfDirectoryComesBeforeHadoopConfDir() throws IOException {
        Path conf = Files.createDirectories(temp.resolve("conf"));
        Path hadoop = Files.createDirectories(temp.resolve("hadoop"));
        Files.writeString(conf.resolve("core-site.xml"), "<configuration/>");
        Files.writeString(hadoop.resolve("core-site.xml"), "<configuration/>");
        Files.writeString(hadoop.resolve("hdfs-site.xml"), "<configuration/>");

        HadoopConfigurationFiles files = HadoopConfigurationFiles.of(conf.toFile(),
                Map.of("HADOOP_CONF_DIR", hadoop.toString(), "HADOOP_HOME", "/nonexistent"));

        // Per file, as a class path lookup: core-site.xml from conf/, hdfs-site.xml from HADOOP_CONF_DIR.
        assertEquals(List.of(conf.resolve("core-site.xml").toFile(), hadoop.resolve("hdfs-site.xml").toFile()),
                files.files());
    }

    @Test
    void hadoopHomeIsTheFallbackForHadoopConfDir() throws IOException {
        Path etc = Files.createDirectories(temp.resolve("home/etc/hadoop"));
        Files.writeString(etc.resolve("hdfs-site.xml"), "<configuration/>");

        HadoopConfigurationFiles files = HadoopConfigurationFiles.of(null,
                Map.of("HADOOP_HOME", temp.resolve("home").toString()));

        assertEquals(List.of(etc.resolve("hdfs-site.xml").toFile()), files.files());
        assertNull(files.coreSite());
        assertEquals("no core-site.xml in " + new File(temp.resolve("home").toFile(), "etc/hadoop"),
                files.describeCoreSite());
    }
}
