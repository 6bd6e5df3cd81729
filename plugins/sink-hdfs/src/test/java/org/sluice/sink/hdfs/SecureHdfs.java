package org.sluice.sink.hdfs;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * A Kerberos-secured HDFS (NameNode and DataNode logged in from a keytab, SASL on the data transfer, block access
 * tokens), set up as Hadoop's own secure-HDFS tests do, in a JVM of its own: UserGroupInformation's login user is
 * static, and the sink under test logs in as another principal. It writes the clients' core-site.xml and
 * hdfs-site.xml into {@code <dir>/conf}, the way a cluster's administrators hand them to Flume users.
 */
final class SecureHdfs implements AutoCloseable {
    private final Process process;
    final String uri;
    final File clientConf;

    private SecureHdfs(Process process, String uri, File clientConf) {
        this.process = process;
        this.uri = uri;
        this.clientConf = clientConf;
    }

    /**
     * @param keytab holds the keys of {@code hdfs/localhost} and {@code HTTP/localhost}
     * @param proxyingUser the short name allowed to act for others (hadoop.proxyuser.*)
     */
    static SecureHdfs start(Path dir, TestKdc kdc, File keytab, String proxyingUser) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(new File(System.getProperty("java.home"), "bin/java").toString(),
                "-Xmx384m", "-Djava.security.krb5.conf=" + kdc.kdc.getKrb5conf(),
                "-cp", System.getProperty("java.class.path"), SecureHdfs.class.getName(), dir.toString(),
                keytab.toString(), kdc.realm(), proxyingUser);
        builder.redirectError(dir.resolve("cluster.log").toFile());
        Files.createDirectories(dir);
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("READY ")) {
                return new SecureHdfs(process, line.substring(6), dir.resolve("conf").toFile());
            }
        }
        process.waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException("the secured MiniDFSCluster did not start; see " + dir.resolve("cluster.log")
                + ":\n" + tail(dir.resolve("cluster.log")));
    }

    private static String tail(Path log) throws IOException {
        String text = Files.readString(log);
        return text.substring(Math.max(0, text.length() - 4000));
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close(); // the child shuts the cluster down at the end of its input
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** The child: args are the directory, the keytab, the realm and the proxying user. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String keytab = args[1];
        String realm = args[2];
        String hdfsPrincipal = "hdfs/localhost@" + realm;
        Configuration conf = new HdfsConfiguration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("data").toString());
        conf.setInt("dfs.replication", 1);
        conf.set("hadoop.security.authentication", "kerberos");
        conf.setBoolean("hadoop.security.authorization", true);
        conf.set("dfs.namenode.kerberos.principal", hdfsPrincipal);
        conf.set("dfs.namenode.keytab.file", keytab);
        conf.set("dfs.datanode.kerberos.principal", hdfsPrincipal);
        conf.set("dfs.datanode.keytab.file", keytab);
        conf.set("dfs.web.authentication.kerberos.principal", "HTTP/localhost@" + realm);
        conf.set("dfs.web.authentication.kerberos.keytab", keytab);
        conf.setBoolean("dfs.block.access.token.enable", true);
        conf.set("dfs.data.transfer.protection", "authentication");
        conf.set("dfs.http.policy", "HTTP_ONLY");
        // DataNodes on unprivileged ports: SASL protects the data transfer instead, as in Hadoop's tests.
        conf.setBoolean("ignore.secure.ports.for.testing", true);
        conf.set("hadoop.proxyuser." + args[3] + ".hosts", "*");
        conf.set("hadoop.proxyuser." + args[3] + ".groups", "*");
        UserGroupInformation.setConfiguration(conf);
        UserGroupInformation.loginUserFromKeytab(hdfsPrincipal, keytab);

        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        FileSystem fs = cluster.getFileSystem();
        org.apache.hadoop.fs.Path flume = new org.apache.hadoop.fs.Path("/flume");
        fs.mkdirs(flume);
        fs.setPermission(flume, new FsPermission((short) 0777));

        Configuration core = new Configuration(false);
        core.set("fs.defaultFS", cluster.getURI().toString());
        core.set("hadoop.security.authentication", "kerberos");
        Configuration hdfsSite = new Configuration(false);
        hdfsSite.set("dfs.namenode.kerberos.principal", hdfsPrincipal);
        hdfsSite.set("dfs.data.transfer.protection", "authentication");
        hdfsSite.set("dfs.replication", "1");
        Path confDir = Files.createDirectories(dir.resolve("conf"));
        write(core, confDir.resolve("core-site.xml"));
        write(hdfsSite, confDir.resolve("hdfs-site.xml"));

        System.out.println("READY " + cluster.getURI());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the parent closes our input or dies
        }
        cluster.shutdown();
        System.exit(0);
    }

    private static void write(Configuration conf, Path file) throws IOException {
        try (OutputStream out = new FileOutputStream(file.toFile())) {
            conf.writeXml(out);
        }
    }
}
