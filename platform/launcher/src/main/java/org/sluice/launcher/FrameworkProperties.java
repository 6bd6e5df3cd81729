package org.sluice.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.osgi.framework.Constants;

/**
 * The properties the framework is created with: Felix's setup, and what the platform reads to know which
 * agent to run. Every JVM system property starting with one of {@link #PASSED_THROUGH} is passed too
 * (for instance {@code -Dflume.monitoring.type=http -Dflume.monitoring.port=41414}), so a {@code -D} can
 * override a Felix or FileInstall default; the agent's identity (the {@code sluice.*} keys set from the
 * command line) cannot be overridden that way.
 */
final class FrameworkProperties {
    static final String HOME = "sluice.home";
    static final String DATA = "sluice.data";
    static final String CONF_DIR = "sluice.conf.dir";
    static final String CONF_SOURCES = "sluice.conf.sources";
    static final String CONF_USER = "sluice.conf.user";
    static final String CONF_PASSWORD = "sluice.conf.password";
    static final String CONF_BACKUP_DIR = "sluice.conf.backup.dir";
    /** {@code -z} and {@code -p}: read by the platform's bridge and the org.sluice.config.zookeeper bundle. */
    static final String CONF_ZOOKEEPER = "sluice.conf.zookeeper";
    static final String CONF_ZOOKEEPER_PATH = "sluice.conf.zookeeper.path";
    static final String AGENT_NAME = "sluice.agent.name";
    static final String CONF_RELOAD = "sluice.conf.reload";
    static final String CONF_POLL_INTERVAL = "sluice.conf.poll.interval";
    static final String MODE = "sluice.mode";
    static final String MODE_AGENT = "agent";
    static final String MODE_VALIDATE = "validate";
    static final String MODE_AVRO_CLIENT = "avro-client";
    static final String MODE_TEST = "test";

    /** Felix Config Admin's choice of persistence manager, by its {@code name} service property. */
    static final String CONFIG_ADMIN_PERSISTENCE = "felix.cm.pm";
    /** The platform's in-memory persistence manager (MemoryPersistence.NAME in the platform bundle). */
    static final String MEMORY_PERSISTENCE = "sluice.memory";

    static final String[] PASSED_THROUGH = {"sluice.", "flume.", "felix.", "gosh.", "org.osgi.framework."};

    private FrameworkProperties() {
    }

    /**
     * @param sources          the configuration's files and URIs in merge order (the embedded default's file when
     *                         the command line names none)
     * @param interactiveShell whether the Gogo shell reads the terminal; otherwise it reads nothing, and the
     *                         agent does not stop at the end of its standard input
     */
    static Map<String, Object> forAgent(Layout layout, Invocation invocation, List<String> sources, Properties system,
                                        boolean interactiveShell) throws IOException {
        Map<String, Object> properties = base(layout, layout.felixCache());
        // FileInstall's own directory is etc/ (configurations only); etc/org.apache.felix.fileinstall-deploy.cfg
        // adds a second watcher for deploy/ (bundles).
        properties.put("felix.fileinstall.dir", layout.etc().toString());
        properties.put("felix.fileinstall.filter", ".*\\.(cfg|config)");
        properties.put("felix.fileinstall.poll", "1000");
        properties.put("felix.fileinstall.noInitialDelay", "true");
        properties.put("felix.fileinstall.log.level", "3");
        properties.put("felix.fileinstall.log.default", "jul");
        // FileInstall only reads etc/, never writes it. By default it writes every configuration it made from a file
        // back to that file (truncate, then write) on each update event. Agents sharing one installation (a fleet
        // on one host, each with its own data/ and logs/) then read each other's half-written files: one read
        // etc/org.apache.felix.fileinstall-deploy.cfg while another had just truncated it, made the deploy/ watcher
        // from an empty file ("./load does not exist") and never loaded a plugin. A single agent races its own
        // write-back the same way, and a change made in the shell would land in the user's file, secrets included.
        properties.put("felix.fileinstall.enableConfigSave", "false");
        properties.put("gosh.args", interactiveShell ? "" : "--nointeractive");
        return finish(properties, layout, invocation, sources, system, MODE_AGENT);
    }

    /**
     * For a one-off command of the platform ({@link #MODE_VALIDATE}, {@link #MODE_TEST}, {@link #MODE_AVRO_CLIENT}): no FileInstall, no
     * shell; the bundle cache is added by {@link OneShotKernel}, a new one each time, never the running agent's.
     */
    static Map<String, Object> forCommand(Layout layout, Invocation invocation, List<String> sources,
                                          Properties system, String mode) throws IOException {
        Map<String, Object> properties = base(layout, layout.felixCache());
        properties.remove(Constants.FRAMEWORK_STORAGE);
        properties.put("gosh.args", "--nointeractive");
        return finish(properties, layout, invocation, sources, system, mode);
    }

    /**
     * For {@code sluice dist}: a framework that only installs and resolves bundles, to learn how they wire (nothing
     * is started); Felix's messages go to {@code logger}.
     */
    static Map<String, Object> forResolving(Path storage, Properties system, org.apache.felix.framework.Logger logger) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.put("felix.bootdelegation.implicit", "false");
        properties.put("felix.log.logger", logger);
        properties.put("felix.log.level", String.valueOf(org.apache.felix.framework.Logger.LOG_WARNING));
        properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SystemPackages.extras(
                FrameworkProperties.class.getClassLoader(), system.getProperty(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA)));
        return properties;
    }

    private static Map<String, Object> base(Layout layout, Path storage) throws IOException {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        // bundle/ and deploy/ are the truth at every start: no bundle survives from a previous run.
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL,
                String.valueOf(StartLevels.beginning(KernelBundle.in(layout.bundles()))));
        properties.put("felix.startlevel.bundle", String.valueOf(StartLevels.PLUGINS));
        // Bundles see the launcher's class path only through the packages exported below.
        properties.put("felix.bootdelegation.implicit", "false");
        properties.put("felix.log.level", FelixLogBridge.felixLogLevel());
        properties.put("gosh.home", layout.home().toString());
        properties.put("felix.log.logger", new FelixLogBridge());
        // Config Admin keeps configurations in the platform's memory only (org.sluice.platform.config.
        // MemoryPersistence): Felix's default writes them, passwords included, in clear under data/.
        properties.put(CONFIG_ADMIN_PERSISTENCE, MEMORY_PERSISTENCE);
        return properties;
    }

    /** The -D properties over the defaults, then the agent's identity over everything. */
    private static Map<String, Object> finish(Map<String, Object> properties, Layout layout, Invocation invocation,
                                              List<String> sources, Properties system, String mode) {
        for (String key : system.stringPropertyNames()) {
            for (String prefix : PASSED_THROUGH) {
                if (key.startsWith(prefix)) {
                    properties.put(key, system.getProperty(key));
                    break;
                }
            }
        }
        properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SystemPackages.extras(
                FrameworkProperties.class.getClassLoader(), system.getProperty(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA)));
        properties.put(HOME, layout.home().toString());
        properties.put(DATA, layout.data().toString());
        properties.put(CONF_DIR, layout.conf().toString());
        if (!sources.isEmpty()) {
            properties.put(CONF_SOURCES, String.join("\n", sources));
        }
        // sluice test: -n only when given (each suite names its agent)
        if (invocation.agentName() != null) {
            properties.put(AGENT_NAME, invocation.agentName());
        }
        ConfigurationOptions configuration = invocation.configuration();
        properties.put(CONF_RELOAD, String.valueOf(configuration.reload()));
        if (configuration.pollIntervalSeconds() > 0) {
            properties.put(CONF_POLL_INTERVAL, String.valueOf(configuration.pollIntervalSeconds()));
        } else {
            properties.remove(CONF_POLL_INTERVAL);
        }
        configuration.user().ifPresent(user -> properties.put(CONF_USER, user));
        configuration.password().ifPresent(password -> properties.put(CONF_PASSWORD, password));
        configuration.zooKeeper().ifPresent(connectString -> properties.put(CONF_ZOOKEEPER, connectString));
        configuration.zooKeeperBasePath().ifPresent(path -> properties.put(CONF_ZOOKEEPER_PATH, path));
        configuration.backupDirectory().ifPresent(directory -> properties.put(CONF_BACKUP_DIR,
                directory.toAbsolutePath().normalize().toString()));
        properties.put(MODE, mode);
        return properties;
    }
}
