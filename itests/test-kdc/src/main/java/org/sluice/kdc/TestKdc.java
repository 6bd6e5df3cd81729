package org.sluice.kdc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;

/**
 * A real Kerberos KDC for tests, on 127.0.0.1 over TCP only, with the realm {@link #REALM}. It writes a krb5.conf
 * that names it; a JVM that talks Kerberos to it reads that file through {@code java.security.krb5.conf}, which the
 * JDK reads once per JVM: set it (with {@link #useInThisJvm()}) before the first Kerberos login of the JVM.
 *
 * <pre>{@code
 * try (TestKdc kdc = TestKdc.start(dir)) {
 *     Path keytab = kdc.keytab("flume.keytab", "flume/localhost");
 *     String principal = kdc.principal("flume/localhost"); // flume/localhost@SLUICE.TEST
 * }
 * }</pre>
 */
public final class TestKdc implements AutoCloseable {
    public static final String REALM = "SLUICE.TEST";

    private final SimpleKdcServer server;
    private final Path dir;
    private final Path krb5Conf;

    private TestKdc(SimpleKdcServer server, Path dir, Path krb5Conf) {
        this.server = server;
        this.dir = dir;
        this.krb5Conf = krb5Conf;
    }

    /** Starts a KDC whose database, keytabs and krb5.conf are in {@code dir}. */
    public static TestKdc start(Path dir) throws IOException {
        Path home = Files.createDirectories(dir.toAbsolutePath());
        int port = freePort();
        try {
            SimpleKdcServer server = new SimpleKdcServer();
            server.setWorkDir(home.toFile());
            server.setKdcRealm(REALM);
            server.setKdcHost("127.0.0.1");
            server.setAllowUdp(false);
            server.setAllowTcp(true);
            server.setKdcTcpPort(port);
            server.init();
            server.start();
            Path krb5Conf = home.resolve("krb5.conf");
            // Our own file rather than Kerby's template: TCP only (udp_preference_limit = 1), no DNS look-ups, and a
            // loopback address rather than "localhost", which may resolve to ::1 first.
            Files.writeString(krb5Conf, """
                    [libdefaults]
                        default_realm = %1$s
                        udp_preference_limit = 1
                        dns_lookup_kdc = false
                        dns_lookup_realm = false
                        rdns = false
                    [realms]
                        %1$s = {
                            kdc = 127.0.0.1:%2$d
                        }
                    """.formatted(REALM, port), StandardCharsets.UTF_8);
            return new TestKdc(server, home, krb5Conf);
        } catch (KrbException e) {
            throw new IOException("the test KDC did not start in " + home, e);
        }
    }

    /** The krb5.conf that names this KDC, for {@code -Djava.security.krb5.conf=} of a child JVM. */
    public Path krb5Conf() {
        return krb5Conf;
    }

    /** Points this JVM's Kerberos at this KDC; the JDK reads the setting at its first Kerberos use. */
    public TestKdc useInThisJvm() {
        System.setProperty("java.security.krb5.conf", krb5Conf.toString());
        return this;
    }

    /** {@code name@REALM}. */
    public String principal(String name) {
        return name + "@" + REALM;
    }

    /** Creates the principals (names without realm, random keys) and writes their keys into a new keytab in the KDC's directory. */
    public synchronized Path keytab(String fileName, String... principals) throws IOException {
        Path keytab = dir.resolve(fileName);
        try {
            server.createAndExportPrincipals(keytab.toFile(), principals);
        } catch (KrbException e) {
            throw new IOException("could not create " + String.join(", ", principals) + " in " + keytab, e);
        }
        return keytab;
    }

    /** The JAAS login from a keytab with the JDK's Krb5LoginModule, as one line ({@code sasl.jaas.config}'s form). */
    public static String keytabLogin(String principal, Path keytab) {
        return "com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true storeKey=true keyTab=\""
                + keytab + "\" principal=\"" + principal + "\";";
    }

    /** A JAAS file in the KDC's directory with one section, {@code section}, holding {@link #keytabLogin}. */
    public Path jaasFile(String fileName, String section, String principal, Path keytab) throws IOException {
        Path file = dir.resolve(fileName);
        Files.writeString(file, section + " {\n  " + keytabLogin(principal, keytab) + "\n};\n",
                StandardCharsets.UTF_8);
        return file;
    }

    /** Removes principals (names without realm) from the KDC: their keytabs stay, as after an administrator's delprinc. */
    public synchronized void delete(String... principals) throws IOException {
        try {
            server.deletePrincipals(principals);
        } catch (KrbException e) {
            throw new IOException("could not delete " + String.join(", ", principals), e);
        }
    }

    /**
     * The host name a client on this machine gives a service it reaches at 127.0.0.1 (the reverse look-up of the
     * address, usually {@code localhost}): the host part of that service's principal, as a Kafka client or a SASL
     * client builds it.
     */
    public static String loopbackHostName() throws IOException {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, 1}).getHostName();
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } catch (KrbException e) {
            throw new IOException("the test KDC did not stop", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
