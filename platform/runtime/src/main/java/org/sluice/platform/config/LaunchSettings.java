package org.sluice.platform.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The framework properties the launcher sets from Flume's command line ({@code --conf-file},
 * {@code --name}) and Sluice's options, read once at activation.
 *
 * @param file                the properties file, absolute; null when none is given
 * @param agent               the agent to run from it; null when none is given
 * @param validateOnly        {@code sluice.mode=validate}: check the file, run nothing
 * @param reload              whether the file is watched for changes
 * @param pollIntervalSeconds how often it is read to look for changes
 * @param resolveFilters      in validate mode, whether external config filters run their commands
 * @param warnings            settings that were ignored, and why
 */
public record LaunchSettings(Path file, String agent, boolean validateOnly, boolean reload,
        long pollIntervalSeconds, boolean resolveFilters, List<String> warnings) {

    public static final String CONF_FILE = "sluice.conf.file";
    public static final String AGENT_NAME = "sluice.agent.name";
    public static final String MODE = "sluice.mode";
    public static final String MODE_VALIDATE = "validate";
    /** {@code sluice test}: run configuration tests; no agent runs. */
    public static final String MODE_TEST = "test";
    /** In test mode: the suite files, separated by the platform's path separator. */
    public static final String TEST_SUITES = "sluice.test.suites";
    public static final String RELOAD = "sluice.conf.reload";
    public static final String POLL_INTERVAL = "sluice.conf.poll.interval";
    /** {@code sluice validate --resolve-filters}: run external config filters while validating. */
    public static final String RESOLVE_FILTERS = "sluice.validate.resolveFilters";
    /** Flume's reloader reads the file every 30 s. */
    public static final long DEFAULT_POLL_INTERVAL_SECONDS = 30;

    public LaunchSettings {
        warnings = List.copyOf(warnings);
    }

    /** The settings from framework properties ({@code BundleContext::getProperty}). */
    public static LaunchSettings read(Function<String, String> properties) {
        List<String> warnings = new ArrayList<>();
        String fileName = trimmed(properties.apply(CONF_FILE));
        Path file = fileName == null ? null : Path.of(fileName).toAbsolutePath().normalize();
        String agent = trimmed(properties.apply(AGENT_NAME));
        boolean validateOnly = MODE_VALIDATE.equalsIgnoreCase(trimmed(properties.apply(MODE)));
        String reloadValue = trimmed(properties.apply(RELOAD));
        boolean reload = reloadValue == null || !reloadValue.equalsIgnoreCase("false");
        if (reloadValue != null && !reloadValue.equalsIgnoreCase("true") && !reloadValue.equalsIgnoreCase("false")) {
            warnings.add(RELOAD + "='" + reloadValue + "' is neither true nor false; the file is watched");
        }
        long interval = DEFAULT_POLL_INTERVAL_SECONDS;
        String intervalValue = trimmed(properties.apply(POLL_INTERVAL));
        if (intervalValue != null) {
            try {
                interval = Long.parseLong(intervalValue);
                if (interval <= 0) {
                    warnings.add(POLL_INTERVAL + "=" + intervalValue + " is not a positive number of seconds; using "
                            + DEFAULT_POLL_INTERVAL_SECONDS);
                    interval = DEFAULT_POLL_INTERVAL_SECONDS;
                }
            } catch (NumberFormatException e) {
                warnings.add(POLL_INTERVAL + "='" + intervalValue + "' is not a number of seconds; using "
                        + DEFAULT_POLL_INTERVAL_SECONDS);
            }
        }
        boolean resolveFilters = "true".equalsIgnoreCase(trimmed(properties.apply(RESOLVE_FILTERS)));
        return new LaunchSettings(file, agent, validateOnly, reload, interval, resolveFilters, warnings);
    }

    /** Whether the framework runs {@code sluice test} (no agent, no file watched). */
    public static boolean testMode(Function<String, String> properties) {
        return MODE_TEST.equalsIgnoreCase(trimmed(properties.apply(MODE)));
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
