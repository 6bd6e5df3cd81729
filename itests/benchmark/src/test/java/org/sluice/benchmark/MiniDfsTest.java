package org.sluice.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MiniDFSCluster JVM as the harness runs it (target/classes and target/minidfs.classpath), written to over
 * hdfs:// by a Hadoop client in this JVM as an agent would, then measured and cleaned through its line protocol.
 */
class MiniDfsTest {

    @TempDir
    Path dir;

    @Test
    void servesHdfsMeasuresWhatWasWrittenDeletesItAndStops() throws Exception {
        String classPath = Path.of("target/classes").toAbsolutePath() + File.pathSeparator
                + Files.readString(Path.of("target/minidfs.classpath"), StandardCharsets.UTF_8).trim();
        MiniDfs hdfs = MiniDfs.start(Path.of(System.getProperty("java.home"), "bin", "java"), classPath, dir,
                Duration.ofSeconds(120));
        try (hdfs) {
            assertTrue(hdfs.uri().startsWith("hdfs://127.0.0.1:"), hdfs.uri());
            String coreSite = Files.readString(hdfs.hadoopConfDir().resolve("core-site.xml"));
            assertTrue(coreSite.contains("<value>" + hdfs.uri() + "</value>"), coreSite);
            assertTrue(Files.readString(hdfs.hadoopConfDir().resolve("hdfs-site.xml")).contains("dfs.replication"));
            assertEquals(0, hdfs.size("/run/hdfs"), "nothing written yet");

            Configuration conf = new Configuration();
            conf.setInt("dfs.replication", 1);
            try (FileSystem fs = FileSystem.newInstance(URI.create(hdfs.uri()), conf)) {
                for (String name : new String[] {"a", "b"}) {
                    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path("/run/hdfs/" + name))) {
                        out.write(new byte[1500]);
                    }
                }
                assertEquals(3000, hdfs.size("/run/hdfs"));
                assertEquals(3000, hdfs.size(hdfs.uri() + "/run"), "a URI of the cluster works as well as a path");

                hdfs.delete("/run");
                assertFalse(fs.exists(new org.apache.hadoop.fs.Path("/run")));
                assertEquals(0, hdfs.size("/run/hdfs"));
            }
        }
        IOException gone = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> hdfs.size("/"));
        assertTrue(gone.getMessage().contains("exited"), gone.getMessage());
    }
}
