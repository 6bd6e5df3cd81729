package org.sluice.sink.hdfs;

import java.io.File;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

import org.apache.hadoop.minikdc.MiniKdc;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.keytab.Keytab;
import org.apache.kerby.kerberos.kerb.keytab.KeytabEntry;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;

/**
 * A real KDC (Hadoop's MiniKdc) for the test JVM, started once: the JDK reads its Kerberos configuration once per
 * JVM too. Tickets live {@link #TICKET_LIFETIME_SECONDS}, so a test can outlive one and see the sink log in again.
 */
final class TestKdc {
    static final int TICKET_LIFETIME_SECONDS = 12;

    private static TestKdc instance;

    final MiniKdc kdc;
    final Path dir;

    private TestKdc(MiniKdc kdc, Path dir) {
        this.kdc = kdc;
        this.dir = dir;
    }

    static synchronized TestKdc get() throws Exception {
        if (instance == null) {
            Path dir = Files.createTempDirectory("sluice-kdc");
            Properties conf = MiniKdc.createConf();
            conf.setProperty(MiniKdc.MAX_TICKET_LIFETIME, String.valueOf(TICKET_LIFETIME_SECONDS));
            conf.setProperty(MiniKdc.MIN_TICKET_LIFETIME, String.valueOf(TICKET_LIFETIME_SECONDS));
            MiniKdc kdc = new MiniKdc(conf, dir.toFile());
            kdc.start();
            Runtime.getRuntime().addShutdownHook(new Thread(kdc::stop));
            instance = new TestKdc(kdc, dir);
        }
        return instance;
    }

    String realm() {
        return kdc.getRealm();
    }

    /** This machine's name as Hadoop puts it for {@code _HOST}: the canonical host name, in lower case. */
    static String canonicalHostName() throws Exception {
        return InetAddress.getLocalHost().getCanonicalHostName().toLowerCase(Locale.US);
    }

    private final java.util.Map<String, File> keytabs = new java.util.HashMap<>();

    /**
     * New principals (without realm) and a keytab with their keys; the same file again when asked again, since the
     * test classes of this JVM share the KDC.
     */
    synchronized File keytab(String fileName, String... principals) throws Exception {
        File keytab = keytabs.get(fileName);
        if (keytab == null) {
            keytab = dir.resolve(fileName).toFile();
            kdc.createPrincipal(keytab, principals);
            keytabs.put(fileName, keytab);
        }
        return keytab;
    }

    /** The keytab of {@code flume/<this host>}, the principal {@code flume/_HOST@REALM} stands for. */
    File hostKeytab() throws Exception {
        return keytab("flume-host.keytab", "flume/" + canonicalHostName());
    }

    /** A keytab for {@code principal} (with realm) whose keys are not the KDC's: a password changed since. */
    File keytabWithWrongKey(String fileName, String principal) throws Exception {
        File file = dir.resolve(fileName).toFile();
        Keytab keytab = new Keytab();
        for (EncryptionType type : new EncryptionType[] {EncryptionType.AES256_CTS_HMAC_SHA1_96,
            EncryptionType.AES128_CTS_HMAC_SHA1_96}) {
            keytab.addEntry(new KeytabEntry(new PrincipalName(principal), new KerberosTime(), 1,
                    EncryptionHandler.string2Key(principal, "not-the-password", type)));
        }
        keytab.store(file);
        return file;
    }
}
