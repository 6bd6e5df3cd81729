package org.sluice.sink.hdfs;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.security.SecurityUtil;
import org.apache.hadoop.security.UserGroupInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;

/**
 * One sink's hold on the agent's Kerberos login ({@code hdfs.kerberosPrincipal}, {@code hdfs.kerberosKeytab}).
 *
 * <p>Hadoop keeps its login user and its security mode in static state of UserGroupInformation, which this bundle
 * embeds: one login for every hdfs sink of the JVM. As in Flume, the first sink logs in from its keytab and later
 * sinks naming the same principal share that login; a sink naming another principal is refused while a sink still
 * holds the first. Unlike Flume, which needs a restart to change principal, the login is given up when the last
 * sink holding it stops, so a configuration that moves every sink to a new principal takes effect on reload.
 *
 * <p>The login is Hadoop's own ({@link UserGroupInformation#loginUserFromKeytab}), not a private one: Hadoop's RPC
 * client relogs in by itself after an authentication failure only for its login user.
 */
final class KerberosLogin {
    private static final Logger LOG = LoggerFactory.getLogger(KerberosLogin.class);
    private static final String PRINCIPAL_KEY = "hdfs.kerberosPrincipal";
    private static final String KEYTAB_KEY = "hdfs.kerberosKeytab";

    // The JVM's login, guarded by KerberosLogin.class.
    private static String loggedInPrincipal;
    private static String loggedInKeytab;
    private static UserGroupInformation loggedInUser;
    private static final Set<KerberosLogin> HOLDERS = new LinkedHashSet<>();

    private final ComponentContext context;
    private final String principal;
    private final String keytab;
    private final UserGroupInformation user;
    private boolean released;

    private KerberosLogin(ComponentContext context, String principal, String keytab, UserGroupInformation user) {
        this.context = context;
        this.principal = principal;
        this.keytab = keytab;
        this.user = user;
    }

    /** Whether Hadoop's configuration asks for Kerberos ({@code hadoop.security.authentication = kerberos}). */
    static boolean kerberosConfigured(Configuration conf) {
        return SecurityUtil.getAuthenticationMethod(conf) == UserGroupInformation.AuthenticationMethod.KERBEROS;
    }

    /**
     * Hands Hadoop's security settings to UserGroupInformation, for a sink without a keytab of its own. A secured
     * cluster then works from the ticket cache ({@code kinit}) as Hadoop's tools do. While a sink holds a keytab
     * login the JVM stays in Kerberos mode: switching it back to simple would break that sink's next connection.
     */
    static synchronized void configure(Configuration conf) {
        if (loggedInUser == null) {
            UserGroupInformation.setConfiguration(conf);
        }
    }

    /**
     * Logs in as {@code configuredPrincipal} ({@code _HOST} replaced by this machine's canonical host name, as
     * Hadoop's daemons do) from {@code keytab}, or joins the login of the same principal already made. Must run
     * with the bundle's class loader as the thread's context class loader: JAAS loads Hadoop's login module
     * through it.
     *
     * @throws ConfigurationException the keytab is not a readable file, or the KDC refused the principal or its
     *                                key: only the user can fix that, and retrying could lock the account
     * @throws IOException            the KDC could not be reached, or another principal is logged in: the start is
     *                                retried, and succeeds once the KDC answers or the other sinks let go
     */
    static KerberosLogin acquire(ComponentContext context, String configuredPrincipal, String keytab,
            Configuration conf) throws ConfigurationException, IOException {
        File keytabFile = new File(keytab);
        if (!keytabFile.isFile() || !keytabFile.canRead()) {
            throw context.configurationError(KEYTAB_KEY, keytab + " is not a readable file; name the keytab that "
                    + "holds the key of " + configuredPrincipal);
        }
        String principal;
        try {
            principal = SecurityUtil.getServerPrincipal(configuredPrincipal, (String) null);
        } catch (IOException e) {
            throw new IOException(where(context, PRINCIPAL_KEY) + "cannot replace _HOST in " + configuredPrincipal
                    + " with this machine's host name: " + e.getMessage(), e);
        }
        synchronized (KerberosLogin.class) {
            if (loggedInUser != null && !loggedInPrincipal.equals(principal)) {
                throw new IOException(where(context, PRINCIPAL_KEY) + "cannot log in as " + principal
                        + ": this agent is logged in to Kerberos as " + loggedInPrincipal + " for " + holderNames()
                        + ", and Hadoop keeps one login per JVM, so every hdfs sink of the agent must use the same "
                        + "principal (as in Flume); the start is retried and succeeds once those sinks are stopped "
                        + "or use " + principal + " too");
            }
            if (loggedInUser == null) {
                loggedInUser = logIn(context, principal, keytab, conf);
                loggedInPrincipal = principal;
                loggedInKeytab = keytab;
            } else if (!loggedInKeytab.equals(keytab)) {
                LOG.warn("{}: {} is logged in already from {}; {} is not read", context.componentName(), principal,
                        loggedInKeytab, keytab);
            }
            KerberosLogin login = new KerberosLogin(context, principal, keytab, loggedInUser);
            HOLDERS.add(login);
            return login;
        }
    }

    private static UserGroupInformation logIn(ComponentContext context, String principal, String keytab,
            Configuration conf) throws ConfigurationException, IOException {
        Configuration secure = new Configuration(conf);
        if (!kerberosConfigured(conf)) {
            // Flume logs in all the same; a cluster's core-site.xml says kerberos, so it was probably not found.
            LOG.warn("{}: {} is set but Hadoop's configuration does not say hadoop.security.authentication = "
                    + "kerberos; logging in anyway, as Flume does. Check that the cluster's core-site.xml is in the "
                    + "agent's conf directory or in HADOOP_CONF_DIR", context.componentName(), PRINCIPAL_KEY);
            secure.set(CommonConfigurationKeysPublic.HADOOP_SECURITY_AUTHENTICATION, "kerberos");
        }
        UserGroupInformation.setConfiguration(secure);
        try {
            UserGroupInformation.loginUserFromKeytab(principal, keytab);
        } catch (IOException e) {
            String message = "Kerberos login as " + principal + " from keytab " + keytab + " failed: " + causes(e);
            if (kdcUnreachable(e)) {
                throw new IOException(where(context, PRINCIPAL_KEY) + message + "; the start is retried", e);
            }
            String key = causes(e).contains("not found in Kerberos database") ? PRINCIPAL_KEY : KEYTAB_KEY;
            throw new ConfigurationException(context.agentName(), context.componentName(), key, message
                    + "; check that the principal exists and that the keytab holds its current key "
                    + "(klist -kt " + keytab + ")", e);
        }
        UserGroupInformation user = UserGroupInformation.getLoginUser();
        LOG.info("{}: logged in to Kerberos as {} from {}", context.componentName(), user.getUserName(), keytab);
        return user;
    }

    /** The logged-in user, the one the sink's Hadoop calls run as (or on behalf of, with hdfs.proxyUser). */
    UserGroupInformation user() {
        return user;
    }

    /** The principal after {@code _HOST} was replaced. */
    String principal() {
        return principal;
    }

    /**
     * Logs in again from the keytab when the ticket-granting ticket is near its end. Called before each Hadoop call:
     * a long-running agent outlives its first ticket, and Hadoop renews it only on an authentication failure. Cheap
     * while the ticket is fresh.
     */
    void reloginIfExpiring() throws IOException {
        try {
            user.checkTGTAndReloginFromKeytab();
        } catch (IOException e) {
            throw new IOException(where(context, KEYTAB_KEY) + "Kerberos relogin as " + principal + " from " + keytab
                    + " failed: " + causes(e), e);
        }
    }

    /** The sink stops: the last holder gives the JVM's login up, so another principal may log in. */
    void release() {
        synchronized (KerberosLogin.class) {
            if (released) {
                return;
            }
            released = true;
            HOLDERS.remove(this);
            if (!HOLDERS.isEmpty()) {
                return;
            }
            try {
                loggedInUser.logoutUserFromKeytab();
            } catch (IOException e) {
                // Nothing depends on it: the next login replaces Hadoop's login user whatever this left behind.
                LOG.warn("{}: Kerberos logout of {} failed: {}", context.componentName(), loggedInPrincipal,
                        e.toString());
            }
            LOG.info("{}: no hdfs sink uses the Kerberos login of {} any more; logged out", context.componentName(),
                    loggedInPrincipal);
            loggedInUser = null;
            loggedInPrincipal = null;
            loggedInKeytab = null;
        }
    }

    private static String holderNames() {
        Set<String> names = new LinkedHashSet<>();
        for (KerberosLogin holder : HOLDERS) {
            names.add(holder.context.agentName() + "." + holder.context.componentName());
        }
        return String.join(", ", names);
    }

    /** The prefix of {@link ConfigurationException}'s messages, for the errors that are retried. */
    private static String where(ComponentContext context, String key) {
        return "agent '" + context.agentName() + "', component '" + context.componentName() + "', key '" + key
                + "': ";
    }

    /** The messages down the cause chain: JAAS puts the KDC's answer in the innermost one. */
    private static String causes(Throwable t) {
        StringBuilder text = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String message = c.getMessage();
            if (message != null && text.indexOf(message) < 0) {
                if (text.length() > 0) {
                    text.append(": ");
                }
                text.append(message);
            }
        }
        return text.toString();
    }

    /** A KDC that did not answer, as opposed to one that refused: only the first may pass by itself. */
    private static boolean kdcUnreachable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SocketTimeoutException || c instanceof ConnectException
                    || c instanceof PortUnreachableException || c instanceof UnknownHostException) {
                return true;
            }
            String message = c.getMessage();
            if (message != null && (message.contains("Cannot contact any KDC") || message.contains("Receive timed out")
                    || message.contains("Connection refused"))) {
                return true;
            }
        }
        return false;
    }
}
