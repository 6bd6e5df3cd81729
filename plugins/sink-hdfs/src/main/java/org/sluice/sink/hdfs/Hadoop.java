package org.sluice.sink.hdfs;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.security.PrivilegedExceptionAction;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.UserGroupInformation;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;

/**
 * The sink's way into Hadoop: its Configuration, its own FileSystem instances, and a pool that runs every
 * Hadoop call with a time limit ({@code hdfs.callTimeout}) on threads whose context class loader is this
 * bundle's. Hadoop finds FileSystem implementations, codecs and its default resources through that loader;
 * inside OSGi a call made on a platform thread would see the wrong one, and "No FileSystem for scheme"
 * would stick.
 */
final class Hadoop implements AutoCloseable {
    private static final ClassLoader BUNDLE_LOADER = Hadoop.class.getClassLoader();
    /** Whether any sink of this bundle loaded Hadoop, which then installed its shutdown hooks. */
    private static final java.util.concurrent.atomic.AtomicBoolean USED = new java.util.concurrent.atomic.AtomicBoolean();

    private final Configuration conf;
    /** Where core-site.xml and hdfs-site.xml were looked for and found. */
    private final HadoopConfigurationFiles files;
    private final long callTimeoutMillis;
    private final ExecutorService calls;
    /** The agent's Kerberos login this sink holds, or null without hdfs.kerberosPrincipal. */
    private final KerberosLogin login;
    /** Whom every call runs as: the hdfs.proxyUser, the Kerberos login, or null for Hadoop's current user. */
    private final UserGroupInformation runAs;
    /** Not Hadoop's shared FileSystem cache: this sink's instances, closed at stop without touching others'. */
    private final Map<String, FileSystem> fileSystems = new HashMap<>();

    private Hadoop(ExecutorService calls, long callTimeoutMillis, Configuration conf, HadoopConfigurationFiles files,
            KerberosLogin login, UserGroupInformation runAs) {
        this.calls = calls;
        this.callTimeoutMillis = callTimeoutMillis;
        this.conf = conf;
        this.files = files;
        this.login = login;
        this.runAs = runAs;
    }

    /** Who the sink is towards Hadoop: hdfs.kerberosPrincipal, hdfs.kerberosKeytab, hdfs.proxyUser. */
    static final class Identity {
        final String kerberosPrincipal;
        final String kerberosKeytab;
        final String proxyUser;

        Identity(String kerberosPrincipal, String kerberosKeytab, String proxyUser) {
            this.kerberosPrincipal = kerberosPrincipal;
            this.kerberosKeytab = kerberosKeytab;
            this.proxyUser = proxyUser;
        }
    }

    /**
     * The configuration: Hadoop's defaults, then core-site.xml and hdfs-site.xml as {@code files} finds them, then
     * the sink's {@code hdfs.config.*} keys; and the sink's identity: logged in from its keytab when it has one,
     * acting for its proxy user when it has one. Read on a call thread, not the caller's: Hadoop's XML parser keeps
     * buffers in a ThreadLocal of the thread that parses, and on a platform thread, which outlives this bundle,
     * they would keep the bundle's class loader (all of Hadoop's classes) after the bundle was updated or
     * uninstalled.
     */
    static Hadoop open(ComponentContext context, HadoopConfigurationFiles files, Map<String, String> settings,
            long callTimeoutMillis, int threads, Identity identity) throws IOException, ConfigurationException {
        ExecutorService calls = Executors.newFixedThreadPool(threads, threads(context.componentName() + "-hdfs-call"));
        try {
            return await(calls.submit(() -> {
                if (USED.compareAndSet(false, true)) {
                    preloadShutdownHookClasses();
                }
                Configuration conf = new Configuration();
                conf.setClassLoader(BUNDLE_LOADER);
                for (File file : files.files()) {
                    conf.addResource(new Path(file.toURI()));
                }
                settings.forEach(conf::set);
                conf.get(FileSystem.FS_DEFAULT_NAME_KEY); // parses the resources now, on this thread
                KerberosLogin login = null;
                try {
                    if (!identity.kerberosPrincipal.isEmpty()) {
                        login = KerberosLogin.acquire(context, identity.kerberosPrincipal, identity.kerberosKeytab,
                                conf);
                    } else if (KerberosLogin.kerberosConfigured(conf) || !identity.proxyUser.isEmpty()) {
                        // Hadoop's login user then comes from the ticket cache (kinit), or is the OS user in
                        // simple mode.
                        KerberosLogin.configure(conf);
                    }
                    UserGroupInformation runAs = login == null ? null : login.user();
                    if (!identity.proxyUser.isEmpty()) {
                        runAs = UserGroupInformation.createProxyUser(identity.proxyUser,
                                login == null ? UserGroupInformation.getLoginUser() : login.user());
                    }
                    return new Hadoop(calls, callTimeoutMillis, conf, files, login, runAs);
                } catch (IOException | ConfigurationException | RuntimeException e) {
                    if (login != null) {
                        login.release();
                    }
                    throw e;
                }
            }), localWorkTimeout(callTimeoutMillis), LOCAL_WORK_LIMIT,
                    "read Hadoop's configuration and log in");
        } catch (IOException | RuntimeException | Error e) {
            calls.shutdownNow();
            throw e;
        } catch (ExceptionOfWork e) {
            calls.shutdownNow();
            if (e.getCause() instanceof ConfigurationException configuration) {
                throw configuration;
            }
            throw new IOException("failed to read Hadoop's configuration", e.getCause());
        }
    }

    /** A URI scheme at the start of a path ({@code hdfs:}, {@code file:}, {@code s3a:}). */
    private static final java.util.regex.Pattern SCHEME = java.util.regex.Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    /**
     * Why a path would land on this machine's disk although the user probably meant a cluster: {@code path} (the
     * hdfs.path template as written) has no scheme and {@code conf}'s fs.defaultFS is the local file system, which
     * is Hadoop's default when no core-site.xml was found. Flume finds its Hadoop configuration through
     * {@code hadoop classpath}; this sink only through HADOOP_CONF_DIR or HADOOP_HOME, so a Flume installation
     * that relied on {@code hadoop} being on the PATH writes locally here, and says nothing unless told to.
     *
     * @return the explanation, or null when the path names its file system or fs.defaultFS is not local
     */
    static String localFallback(String path, Configuration conf, HadoopConfigurationFiles files) {
        if (SCHEME.matcher(path).find()) {
            return null; // file:///data means the local disk on purpose; hdfs://nn/... names its cluster
        }
        URI defaultFs = FileSystem.getDefaultUri(conf);
        if (!"file".equals(defaultFs.getScheme())) {
            return null;
        }
        String found = files.coreSite() == null ? files.describeCoreSite() : "no fs.defaultFS in " + files.coreSite();
        return "hdfs.path " + path + " has no scheme and fs.defaultFS is " + defaultFs + " (" + found
                + "), so it is written to this machine's local file system; point HADOOP_CONF_DIR at the cluster's "
                + "configuration, or write file://" + (path.startsWith("/") ? "" : "/") + path
                + " to mean the local disk";
    }

    /** {@link #localFallback(String, Configuration, HadoopConfigurationFiles)} for this sink's configuration. */
    String localFallback(String path) {
        return localFallback(path, conf, files);
    }

    /**
     * Hadoop's JVM shutdown hook (ShutdownHookManager) runs at JVM exit, when this bundle may be stopped and its
     * class loader unable to load anything more: the classes the hook's path needs are loaded now, while they
     * can be. When the bundle stops, Hadoop's hooks are cleared and this JVM hook is removed where the JVM allows
     * it (HadoopLeftovers); the preloading is for when it does not, and for a JVM that exits with the bundle active.
     */
    private static void preloadShutdownHookClasses() {
        for (String name : new String[] {"org.apache.hadoop.util.ShutdownHookManager",
            "org.apache.hadoop.util.ShutdownHookManager$1", "org.apache.hadoop.util.ShutdownHookManager$2",
            "org.apache.hadoop.util.ShutdownHookManager$HookEntry"}) {
            try {
                Class.forName(name, true, BUNDLE_LOADER);
            } catch (ClassNotFoundException e) {
                // Another Hadoop version names them otherwise: only the exit-time stack trace is at stake.
                org.slf4j.LoggerFactory.getLogger(Hadoop.class).warn("cannot preload {}: {}", name, e.toString());
            }
        }
    }

    static boolean used() {
        return USED.get();
    }

    /** Threads whose context class loader is this bundle's, for Hadoop calls and the sink's timers. */
    static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setContextClassLoader(BUNDLE_LOADER);
            return thread;
        };
    }

    /** Work with Hadoop's classes that may throw {@code E}. */
    interface HadoopWork<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs Hadoop code that does not reach a cluster (a codec lookup, a check of the configuration) on a call
     * thread: there it finds its services through this bundle's loader, and whatever it
     * keeps per thread goes with the pool when the sink stops, instead of staying on a platform thread.
     */
    @SuppressWarnings("unchecked")
    <T, E extends Exception> T onCallThread(String what, HadoopWork<T, E> work) throws E, IOException {
        try {
            return await(calls.submit(work::run), localWorkTimeout(callTimeoutMillis), LOCAL_WORK_LIMIT, what);
        } catch (ExceptionOfWork e) {
            throw (E) e.getCause();
        }
    }

    Configuration conf() {
        return conf;
    }

    /** This sink's FileSystem for the scheme and authority of {@code path}; made on first use. */
    FileSystem fileSystem(Path path) throws IOException {
        URI uri = path.toUri();
        URI fsUri = uri.getScheme() == null ? FileSystem.getDefaultUri(conf)
                : URI.create(uri.getScheme() + "://" + (uri.getAuthority() == null ? "" : uri.getAuthority()) + "/");
        String key = fsUri.toString();
        synchronized (fileSystems) {
            FileSystem fs = fileSystems.get(key);
            if (fs == null) {
                fs = call("connect to " + fsUri, () -> FileSystem.newInstance(fsUri, conf));
                fileSystems.put(key, fs);
            }
            return fs;
        }
    }

    /** The interface of {@link #call}: a Hadoop operation that may throw IOException. */
    interface HadoopCall<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code call} on the pool, as the proxy user or the Kerberos login if there is one, and waits at most
     * hdfs.callTimeout. A Kerberos login whose ticket nears its end is renewed first, within the same limit. A call
     * that times out is interrupted and reported as an IOException naming {@code what}.
     */
    <T> T call(String what, HadoopCall<T> call) throws IOException {
        Callable<T> task = () -> {
            if (login != null) {
                login.reloginIfExpiring();
            }
            return runAs == null ? call.run() : runAs.doAs((PrivilegedExceptionAction<T>) call::run);
        };
        try {
            return await(calls.submit(task), callTimeoutMillis, "hdfs.callTimeout", what);
        } catch (ExceptionOfWork e) {
            throw new IOException("failed to " + what, e.getCause());
        }
    }

    /**
     * The bound for work that reaches no cluster (reading the configuration, loading codecs): only a guard
     * against a hang, never shorter than a minute, because the first sink of a bundle revision loads Hadoop's
     * classes within it and a small hdfs.callTimeout is meant for the cluster's calls.
     */
    private static final String LOCAL_WORK_LIMIT = "hdfs.callTimeout, at least a minute";

    private static long localWorkTimeout(long callTimeoutMillis) {
        return Math.max(callTimeoutMillis, 60_000);
    }

    /** A checked exception of a task other than an IOException, to be rethrown by whoever knows its type. */
    private static final class ExceptionOfWork extends Exception {
        private static final long serialVersionUID = 1L;

        ExceptionOfWork(Exception cause) {
            super(cause);
        }
    }

    /**
     * Waits at most {@code timeoutMillis} for a task; one that times out is interrupted and reported as an
     * IOException naming {@code what} and the {@code limit} it exceeded. The task's own exception is rethrown as it is, a checked one other than an
     * IOException wrapped in an {@link ExceptionOfWork}.
     */
    private static <T> T await(Future<T> future, long timeoutMillis, String limit, String what)
            throws IOException, ExceptionOfWork {
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IOException("HDFS call timed out after " + timeoutMillis + " ms (" + limit + "): " + what, e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted while waiting to " + what);
            interrupted.initCause(e);
            throw interrupted;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new ExceptionOfWork((Exception) cause);
        }
    }

    @Override
    public void close() {
        synchronized (fileSystems) {
            for (FileSystem fs : fileSystems.values()) {
                try {
                    // Within hdfs.callTimeout: a DFSClient closes the streams still open, which can hang with HDFS away.
                    call("close " + fs.getUri(), () -> {
                        fs.close();
                        return null;
                    });
                } catch (IOException | RuntimeException e) {
                    // Loses nothing: every committed batch was hflushed; files still open keep their in-use name.
                    org.slf4j.LoggerFactory.getLogger(Hadoop.class).warn("could not close {}: {}", fs.getUri(),
                            e.toString());
                }
            }
            fileSystems.clear();
        }
        calls.shutdownNow();
        if (login != null) {
            login.release();
        }
    }
}
