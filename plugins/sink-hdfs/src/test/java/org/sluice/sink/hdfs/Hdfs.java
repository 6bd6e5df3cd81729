package org.sluice.sink.hdfs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** A real HDFS for tests: one NameNode and one DataNode in this JVM, and helpers to read what the sink wrote. */
final class Hdfs implements AutoCloseable {
    final MiniDFSCluster cluster;
    final Configuration conf;
    final Path baseDir;

    private Hdfs(MiniDFSCluster cluster, Configuration conf, Path baseDir) {
        this.cluster = cluster;
        this.conf = conf;
        this.baseDir = baseDir;
    }

    static Configuration clusterConf(Path baseDir) {
        Configuration conf = new HdfsConfiguration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toString());
        conf.setInt("dfs.replication", 1);
        // The sink's proxyUser test: the user running the tests may act for others.
        String me = System.getProperty("user.name");
        conf.set("hadoop.proxyuser." + me + ".hosts", "*");
        conf.set("hadoop.proxyuser." + me + ".groups", "*");
        return conf;
    }

    static Hdfs start(Path baseDir) throws IOException {
        Configuration conf = clusterConf(baseDir);
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        return new Hdfs(cluster, conf, baseDir);
    }

    String uri() {
        return cluster.getURI().toString();
    }

    FileSystem fs() throws IOException {
        return cluster.getFileSystem();
    }

    /** Every file under {@code dir}, by path relative to it, sorted. */
    static List<org.apache.hadoop.fs.Path> files(FileSystem fs, org.apache.hadoop.fs.Path dir) throws IOException {
        List<org.apache.hadoop.fs.Path> files = new ArrayList<>();
        if (!fs.exists(dir)) {
            return files;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
        while (it.hasNext()) {
            FileStatus status = it.next();
            if (!status.getPath().getName().endsWith(".crc")) {
                files.add(status.getPath());
            }
        }
        files.sort(null);
        return files;
    }

    static List<String> lines(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
            }
        }
        return lines;
    }

    @Override
    public void close() {
        cluster.shutdown();
    }
}
