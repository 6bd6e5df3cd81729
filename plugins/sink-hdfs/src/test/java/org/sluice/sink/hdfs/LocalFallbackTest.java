package org.sluice.sink.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/**
 * A Flume file's {@code hdfs.path = /tmp/flume} means the cluster of the Hadoop configuration; without one, Hadoop
 * quietly writes it to the local disk. The sink says so at start (a WARN), and only then.
 */
class LocalFallbackTest {

    private static Configuration conf(String defaultFs) {
        Configuration conf = new Configuration(false);
        if (defaultFs != null) {
            conf.set("fs.defaultFS", defaultFs);
        }
        return conf;
    }

    @Test
    void aPathWithoutSchemeAndNoHadoopConfigurationIsExplained() {
        String why = Hadoop.localFallback("/tmp/flume", conf(null), null);
        assertEquals("hdfs.path /tmp/flume has no scheme and fs.defaultFS is file:/// (HADOOP_CONF_DIR and "
                + "HADOOP_HOME are not set), so it is written to this machine's local file system; point "
                + "HADOOP_CONF_DIR at the cluster's configuration, or write file:///tmp/flume to mean the local disk",
                why);
    }

    @Test
    void aConfigurationDirectoryWithoutDefaultFsIsNamed() {
        String why = Hadoop.localFallback("/tmp/flume/year=%Y/%{host}", conf("file:///"), new File("/etc/hadoop/conf"));
        assertTrue(why != null && why.contains("no fs.defaultFS in /etc/hadoop/conf/core-site.xml"), why);
        assertTrue(why.contains("hdfs.path /tmp/flume/year=%Y/%{host} has no scheme"), why);
    }

    @Test
    void nothingToSayWhenThePathOrTheConfigurationNamesTheFileSystem() {
        assertNull(Hadoop.localFallback("/tmp/flume", conf("hdfs://namenode:8020"), new File("/etc/hadoop/conf")));
        assertNull(Hadoop.localFallback("hdfs://namenode:8020/tmp/flume", conf(null), null));
        // The local disk, said on purpose.
        assertNull(Hadoop.localFallback("file:///tmp/flume", conf(null), null));
        assertNull(Hadoop.localFallback("s3a://bucket/flume/%Y", conf(null), null));
    }
}
