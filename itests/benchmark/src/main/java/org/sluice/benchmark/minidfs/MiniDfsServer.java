package org.sluice.benchmark.minidfs;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * The HDFS of the hdfs:// scenarios: a MiniDFSCluster (one NameNode, one DataNode, on 127.0.0.1) in a JVM of its
 * own, started by the harness's {@code MiniDfs}, so that what the NameNode and DataNode spend is counted neither as
 * the agent's CPU nor as the load's. The agents write to it as to any cluster, through its hdfs:// URI.
 *
 * <p>It speaks a line protocol; its answers are the stdout lines that start with {@value #PREFIX} (Hadoop's own
 * output goes to its log). When the cluster is up it prints {@code minidfs: ready hdfs://127.0.0.1:PORT}. Then, one
 * command a line on stdin:
 * <ul>
 * <li>{@code size PATH}: the bytes of every file below PATH, as the NameNode knows them: {@code minidfs: size N}
 * (0 when PATH does not exist);</li>
 * <li>{@code delete PATH}: removes PATH and everything below it: {@code minidfs: deleted true|false};</li>
 * </ul>
 * a failed command answers {@code minidfs: error MESSAGE}. The end of stdin shuts the cluster down.
 *
 * <p>Argument: the base directory of the NameNode's and DataNode's storage.
 */
public final class MiniDfsServer {
    static final String PREFIX = "minidfs: ";

    private MiniDfsServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: MiniDfsServer BASE_DIR");
            System.exit(2);
        }
        // Hadoop prints the odd line to stdout; the protocol keeps its own stream and marks its lines.
        PrintStream answers = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);

        Configuration conf = new HdfsConfiguration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(args[0]).getAbsolutePath());
        // One DataNode: one replica, as the agents' hdfs-site.xml says too.
        conf.setInt("dfs.replication", 1);
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            cluster.waitActive();
            FileSystem fs = cluster.getFileSystem();
            // The NameNode listens on 127.0.0.1; getURI() would say localhost, which may resolve to ::1 first.
            answers.println(PREFIX + "ready hdfs://127.0.0.1:" + cluster.getNameNodePort());
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = commands.readLine()) != null; ) {
                answers.println(PREFIX + answer(fs, line.trim()));
            }
        } finally {
            cluster.shutdown(true);
        }
    }

    private static String answer(FileSystem fs, String command) {
        int space = command.indexOf(' ');
        String verb = space < 0 ? command : command.substring(0, space);
        String path = space < 0 ? "" : command.substring(space + 1).trim();
        try {
            if (path.isEmpty()) {
                return "error " + verb + " needs a path";
            }
            Path target = new Path(path);
            return switch (verb) {
                case "size" -> "size " + (fs.exists(target) ? fs.getContentSummary(target).getLength() : 0);
                case "delete" -> "deleted " + fs.delete(target, true);
                default -> "error unknown command " + verb;
            };
        } catch (IOException | RuntimeException e) {
            return "error " + e.toString().replace('\n', ' ');
        }
    }
}
