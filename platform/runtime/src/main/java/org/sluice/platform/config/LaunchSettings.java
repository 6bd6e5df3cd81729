package org.sluice.platform.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The framework properties the launcher sets from Flume's command line ({@code --conf-file}, {@code --conf-uri},
 * {@code --name}, ...) and Sluice's options, read once at activation.
 *
 * @param sources             where the configuration is read from, in merge order: absolute paths and URIs; empty
 *                            when none is given
 * @param agent               the agent to run from it; null when none is given
 * @param mode                {@code sluice.mode}: {@code agent} (also when not set), {@code validate} or
 *                            {@code avro-client}
 * @param validateOnly        {@code sluice.mode=validate}: check the configuration, run nothing
 * @param reload              whether the configuration is watched for changes
 * @param pollIntervalSeconds how often it is read to look for changes; 0 for Flume's default (30 s, or 300 s when a
 *                            source is read over HTTP)
 * @param user                {@code --conf-user}, for sources read over HTTP; null when not given
 * @param password            {@code --conf-password}; null when not given
 * @param backupDirectory     {@code --backup-directory}: where the configuration last read is kept; null for none
 * @param confDirectory       the configuration directory ({@code -c}), where {@code classpath:} URIs are found
 * @param resolveFilters      in validate mode, whether external config filters run their commands
 * @param zooKeeper           {@code -z}: the ZooKeeper ensemble the configuration is read from, through the source
 *                            the org.sluice.config.zookeeper bundle publishes; null when none is given (then the
 *                            files and URIs are read)
 * @param warnings            settings that were ignored, and why
 */
public record LaunchSettings(List<String> sources, String agent, String mode, boolean validateOnly, boolean reload,
        long pollIntervalSeconds, String user, String password, Path backupDirectory, Path confDirectory,
        boolean resolveFilters, String zooKeeper, List<String> warnings) {

    /** One properties file (the launcher's {@code -f} when there is one; kept for embedders and tests). */
    public static final String CONF_FILE = "sluice.conf.file";
    /** Several sources, one absolute path or URI per line, in merge order; read before {@link #CONF_FILE}. */
    public static final String CONF_SOURCES = "sluice.conf.sources";
    public static final String AGENT_NAME = "sluice.agent.name";
    public static final String MODE = "sluice.mode";
    public static final String MODE_AGENT = "agent";
    public static final String MODE_VALIDATE = "validate";
    public static final String MODE_AVRO_CLIENT = "avro-client";
    /** {@code sluice test}: run configuration tests; no agent runs. */
    public static final String MODE_TEST = "test";
    /** In test mode: the suite files, separated by the platform's path separator. */
    public static final String TEST_SUITES = "sluice.test.suites";
    public static final String RELOAD = "sluice.conf.reload";
    public static final String POLL_INTERVAL = "sluice.conf.poll.interval";
    public static final String USER = "sluice.conf.user";
    public static final String PASSWORD = "sluice.conf.password";
    public static final String BACKUP_DIRECTORY = "sluice.conf.backup.dir";
    public static final String CONF_DIRECTORY = "sluice.conf.dir";
    /** Flume's {@code -z}: the ZooKeeper connection string; with it, files and URIs are not read (as in Flume). */
    public static final String ZOOKEEPER = "sluice.conf.zookeeper";
    /** Flume's reloader reads a file every 30 s. */
    public static final long DEFAULT_POLL_INTERVAL_SECONDS = ConfigSources.FILE_POLL_SECONDS;
    /** {@code sluice validate --resolve-filters}: run external config filters while validating. */
    public static final String RESOLVE_FILTERS = "sluice.validate.resolveFilters";

    public LaunchSettings {
        sources = List.copyOf(sources);
        warnings = List.copyOf(warnings);
    }

    /** The settings from framework properties ({@code BundleContext::getProperty}). */
    public static LaunchSettings read(Function<String, String> properties) {
        List<String> warnings = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        String listed = properties.apply(CONF_SOURCES);
        if (listed != null) {
            listed.lines().map(String::trim).filter(line -> !line.isEmpty()).forEach(sources::add);
        }
        String fileName = trimmed(properties.apply(CONF_FILE));
        if (fileName != null) {
            sources.add(Path.of(fileName).toAbsolutePath().normalize().toString());
        }
        String agent = trimmed(properties.apply(AGENT_NAME));
        String mode = trimmed(properties.apply(MODE));
        mode = mode == null ? MODE_AGENT : mode.toLowerCase(java.util.Locale.ROOT);
        boolean validateOnly = MODE_VALIDATE.equals(mode);
        String reloadValue = trimmed(properties.apply(RELOAD));
        boolean reload = reloadValue == null || !reloadValue.equalsIgnoreCase("false");
        if (reloadValue != null && !reloadValue.equalsIgnoreCase("true") && !reloadValue.equalsIgnoreCase("false")) {
            warnings.add(RELOAD + "='" + reloadValue + "' is neither true nor false; the configuration is watched");
        }
        long interval = 0;
        String intervalValue = trimmed(properties.apply(POLL_INTERVAL));
        if (intervalValue != null) {
            try {
                interval = Long.parseLong(intervalValue);
                if (interval <= 0) {
                    warnings.add(POLL_INTERVAL + "=" + intervalValue + " is not a positive number of seconds; using "
                            + "Flume's default");
                    interval = 0;
                }
            } catch (NumberFormatException e) {
                warnings.add(POLL_INTERVAL + "='" + intervalValue + "' is not a number of seconds; using Flume's "
                        + "default");
            }
        }
        String backup = trimmed(properties.apply(BACKUP_DIRECTORY));
        String confDir = trimmed(properties.apply(CONF_DIRECTORY));
        boolean resolveFilters = "true".equalsIgnoreCase(trimmed(properties.apply(RESOLVE_FILTERS)));
        return new LaunchSettings(sources, agent, mode, validateOnly, reload, interval, properties.apply(USER),
                properties.apply(PASSWORD), backup == null ? null : Path.of(backup).toAbsolutePath().normalize(),
                confDir == null ? null : Path.of(confDir).toAbsolutePath().normalize(), resolveFilters,
                trimmed(properties.apply(ZOOKEEPER)), warnings);
    }

    /** The poll interval in effect: the one given, else Flume's default for these sources. */
    public long effectivePollIntervalSeconds(boolean overHttp) {
        if (pollIntervalSeconds > 0) {
            return pollIntervalSeconds;
        }
        return overHttp ? ConfigSources.HTTP_POLL_SECONDS : ConfigSources.FILE_POLL_SECONDS;
    }

    /** Whether this framework runs agents ({@code sluice.mode=agent}), rather than one command. */
    public boolean runsAgents() {
        return MODE_AGENT.equals(mode);
    }

    /** Whether a configuration to run was named: at least one source (or ZooKeeper), and an agent. */
    public boolean hasConfiguration() {
        return (!sources.isEmpty() || fromZooKeeper()) && agent != null;
    }

    /** Whether the configuration is read from ZooKeeper ({@code -z}) rather than from files and URIs. */
    public boolean fromZooKeeper() {
        return zooKeeper != null;
    }

    /** Says what was given, never the password. */
    @Override
    public String toString() {
        return "LaunchSettings[sources=" + sources + ", agent=" + agent + ", mode=" + mode
                + ", reload=" + reload + ", pollIntervalSeconds=" + pollIntervalSeconds + ", user=" + user
                + ", password=" + (password == null ? "none" : "****") + ", backupDirectory=" + backupDirectory
                + ", confDirectory=" + confDirectory + ", resolveFilters=" + resolveFilters + ", zooKeeper=" + zooKeeper
                + "]";
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
