package org.sluice.itests.osgi.support;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;

import org.ops4j.pax.exam.Option;

/**
 * One real HDFS (a MiniDFSCluster: NameNode and one DataNode) for the whole test JVM, started outside the
 * framework from a test's {@code @Configuration}: the cluster's classes are on the test class path, which bundles
 * do not see, so the hdfs sink bundle inside the framework talks to it only over the network, as to any cluster.
 * The probe finds the cluster through two system properties and reads files back over WebHDFS ({@link WebHdfs}).
 */
public final class MiniHdfs {

    /** The NameNode's RPC address as an hdfs:// URI. */
    public static final String URI_PROPERTY = "sluice.itests.hdfs.uri";
    /** The NameNode's HTTP address (WebHDFS). */
    public static final String HTTP_PROPERTY = "sluice.itests.hdfs.http";

    private MiniHdfs() {
    }

    /** Starts the cluster unless this JVM has it already; stopped when the JVM exits. */
    public static void start() throws IOException {
        Cluster.start();
    }

    /**
     * Hadoop's classes are named only here, so the probe, which loads this class inside the framework and has no
     * Hadoop, never needs them.
     */
    private static final class Cluster {
        private static org.apache.hadoop.hdfs.MiniDFSCluster cluster;

        static synchronized void start() throws IOException {
            if (cluster != null) {
                return;
            }
            org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.hdfs.HdfsConfiguration();
            conf.set(org.apache.hadoop.hdfs.MiniDFSCluster.HDFS_MINIDFS_BASEDIR, WorkDirs.create("minidfs").toString());
            conf.setInt("dfs.replication", 1);
            cluster = new org.apache.hadoop.hdfs.MiniDFSCluster.Builder(conf).numDataNodes(1).build();
            cluster.waitActive();
            System.setProperty(URI_PROPERTY, cluster.getURI().toString());
            System.setProperty(HTTP_PROPERTY, "http://" + cluster.getNameNode().getHttpAddress().getHostString()
                    + ":" + cluster.getNameNode().getHttpAddress().getPort());
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::shutdown));
        }
    }

    /** Hands the cluster's addresses to the framework; call after {@link #start()}. */
    public static Option addresses() {
        return composite(systemProperty(URI_PROPERTY).value(System.getProperty(URI_PROPERTY)),
                systemProperty(HTTP_PROPERTY).value(System.getProperty(HTTP_PROPERTY)));
    }

    /** In the probe: the hdfs:// URI of the cluster. */
    public static String uri() {
        return System.getProperty(URI_PROPERTY);
    }

    /** In the probe: the cluster's WebHDFS. */
    public static WebHdfs webHdfs() {
        return new WebHdfs(System.getProperty(HTTP_PROPERTY));
    }
}
