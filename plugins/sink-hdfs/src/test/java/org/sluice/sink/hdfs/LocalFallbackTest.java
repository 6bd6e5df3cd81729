package org.sluice.sink.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Flume file's {@code hdfs.path = /tmp/flume} means the cluster of the Hadoop configuration; without one, Hadoop
 * quietly writes it to the local disk. The sink says so at start (a WARN), and only then.
 */
class LocalFallbackTest {

    private static final HadoopConfigurationFiles NOTHING = new HadoopConfigurationFiles(java.util.List.of());

    private static Configuration conf(String defaultFs) {
        Configuration conf = new Configuration(false);
        if (defaultFs != null) {
            conf.set("fs.defaultFS", defaultFs);
        }
        return conf;
    }

    @Test
    void aPathWithoutSchemeAndNoHadoopConfigurationIsExplained() {
        String why = Hadoop.localFallback("/tmp/flume", conf(null), NOTHING);
        assertEquals("hdfs.path /tmp/flume has no scheme and fs.defaultFS is file:/// (no conf directory, and "
                + "HADOOP_CONF_DIR and HADOOP_HOME are not set), so it is written to this machine's local file system; point "
                + "HADOOP_CONF_DIR at the cluster's configuration, or write file:///tmp/flume to mean the local disk",
                why);
    }

    @Test
    void aCoreSiteWithoutDefaultFsIsNamed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("core-site.xml"), "<configuration/>");
        HadoopConfigurationFiles files = new HadoopConfigurationFiles(List.of(dir.toFile()));
        String why = Hadoop.localFallback("/tmp/flume/year=%Y/%{host}", conf("file:///"), files);
        assertTrue(why != null && why.contains("no fs.defaultFS in " + dir.resolve("core-site.xml")), why);
        assertTrue(why.contains("hdfs.path /tmp/flume/year=%Y/%{host} has no scheme"), why);
    }

    @Test
    void theDirectoriesSearchedInVainAreNamed() {
        HadoopConfigurationFiles files = new HadoopConfigurationFiles(List.of(new File("/nonexistent/conf"),
                new File("/nonexistent/hadoop")));
        String why = Hadoop.localFallback("/tmp/flume", conf("file:///"), files);
        assertTrue(why != null && why.contains("(no core-site.xml in /nonexistent/conf, /nonexistent/hadoop)"), why);
    }

    @Test
    void nothingToSayWhenThePathOrTheConfigurationNamesTheFileSystem() {
        assertNull(Hadoop.localFallback("/tmp/flume", conf("hdfs://namenode:8020"), NOTHING));
        assertNull(Hadoop.localFallback("hdfs://namenode:8020/tmp/flume", conf(null), NOTHING));
        // The local disk, said on purpose.
        assertNull(Hadoop.localFallback("file:///tmp/flume", conf(null), NOTHING));
        assertNull(Hadoop.localFallback("s3a://bucket/flume/%Y", conf(null), NOTHING));
    }
}
