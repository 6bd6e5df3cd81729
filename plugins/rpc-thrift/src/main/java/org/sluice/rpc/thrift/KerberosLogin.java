package org.sluice.rpc.thrift;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosTicket;
import javax.security.auth.login.LoginException;

import com.sun.security.auth.module.Krb5LoginModule;

/**
 * A Kerberos login from a keytab with the JDK's Krb5LoginModule, for the Thrift source (which accepts GSSAPI with the
 * keys) and the Thrift sink (which starts GSSAPI with the ticket-granting ticket). The module is made here rather than
 * looked up through a JAAS configuration, so neither a JAAS file nor the thread context class loader is involved.
 * The login asks the KDC for a ticket-granting ticket at once, so a wrong keytab or an unknown principal fails it;
 * {@link #run} logs in again when that ticket is within a fifth of its lifetime (at least a minute) of its end, as
 * Hadoop's relogin does for Flume.
 */
final class KerberosLogin {
    private static final long MIN_REMAINING_MILLIS = 60_000;

    private final String principal;
    private final String keytab;
    private Subject subject;

    private KerberosLogin(String principal, String keytab) {
        this.principal = principal;
        this.keytab = keytab;
    }

    /** Logs in as {@code principal} ({@code _HOST} already replaced) from {@code keytab}. */
    static KerberosLogin of(String principal, String keytab) throws LoginException {
        KerberosLogin login = new KerberosLogin(principal, keytab);
        login.subject = login.login();
        return login;
    }

    String principal() {
        return principal;
    }

    /** Runs {@code action} as this principal, logging in again first when its ticket is about to end. */
    <T> T run(PrivilegedExceptionAction<T> action) throws Exception {
        Subject current;
        synchronized (this) {
            if (needsRelogin(subject, System.currentTimeMillis())) {
                subject = login();
            }
            current = subject;
        }
        try {
            return Subject.doAs(current, action);
        } catch (PrivilegedActionException e) {
            throw e.getException();
        }
    }

    /** True when the subject's ticket-granting ticket ends within a fifth of its lifetime (at least a minute). */
    static boolean needsRelogin(Subject subject, long now) {
        for (KerberosTicket ticket : subject.getPrivateCredentials(KerberosTicket.class)) {
            if (ticket.getServer().getName().startsWith("krbtgt/")) {
                long start = ticket.getStartTime() != null ? ticket.getStartTime().getTime()
                        : ticket.getAuthTime().getTime();
                long end = ticket.getEndTime().getTime();
                return end - now < Math.max(MIN_REMAINING_MILLIS, (end - start) / 5);
            }
        }
        return true;
    }

    private Subject login() throws LoginException {
        Map<String, String> options = new HashMap<>();
        options.put("useKeyTab", "true");
        options.put("keyTab", keytab);
        options.put("principal", principal);
        options.put("storeKey", "true");
        options.put("doNotPrompt", "true");
        options.put("isInitiator", "true");
        options.put("refreshKrb5Config", "true");
        Subject fresh = new Subject();
        Krb5LoginModule module = new Krb5LoginModule();
        module.initialize(fresh, null, new HashMap<>(), options);
        module.login();
        module.commit();
        return fresh;
    }

    /**
     * Flume's principal: {@code service/host@REALM}, where a host of {@code _HOST} is this machine's canonical name in
     * lower case (Hadoop's SecurityUtil, which Flume uses, does the same).
     */
    static String resolve(String principal) throws UnknownHostException {
        if (!principal.contains("/_HOST")) {
            return principal;
        }
        return principal.replace("/_HOST", "/" + InetAddress.getLocalHost().getCanonicalHostName()
                .toLowerCase(Locale.ROOT));
    }

    /** The service and host of {@code service/host@REALM}, or null when the principal has no host part. */
    static String[] serviceAndHost(String principal) {
        int slash = principal.indexOf('/');
        int at = principal.indexOf('@');
        int hostEnd = at < 0 ? principal.length() : at;
        if (slash <= 0 || slash + 1 >= hostEnd) {
            return null;
        }
        return new String[] {principal.substring(0, slash), principal.substring(slash + 1, hostEnd)};
    }
}
