package org.sluice.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Points log4j 2 at the installation's configuration before the first logger exists. Every choice is a
 * system property that conf/log4j2.xml reads, and an explicit {@code -D} always wins:
 * <ul>
 * <li>{@code log4j2.configurationFile}: log4j2.xml of the -c directory, else of $SLUICE_HOME/conf, else a
 * console-only fallback inside the launcher;</li>
 * <li>{@code sluice.log.dir}: where sluice.log rolls;</li>
 * <li>{@code sluice.log.level}, {@code sluice.log.console.level}, {@code sluice.log.file.level}: from
 * {@code -Dsluice.root.logger} or Flume's {@code -Dflume.root.logger}.</li>
 * </ul>
 * java.util.logging is routed into log4j too (FileInstall and the JDK's HTTP server log through it).
 *
 * <p>One logger context serves the whole JVM ({@code log4j2.contextSelector}): log4j's default gives each class loader
 * that logs a context of its own, and in OSGi every bundle has one, so each of some fifteen bundles read and ran
 * log4j2.xml again, each with its own scheduler (two threads for the file watch and the daily roll): 30 of an idle
 * agent's 66 threads, some 7 MiB and a sixth of the start's CPU, for one configuration they all share anyway.
 */
final class LoggingSetup {
    static final String FALLBACK_CONFIGURATION = "org/sluice/launcher/log4j2-fallback.xml";
    static final String CONTEXT_SELECTOR = "log4j2.contextSelector";
    static final String ONE_CONTEXT = "org.apache.logging.log4j.core.selector.BasicContextSelector";

    private LoggingSetup() {
    }

    /**
     * @param quiet for commands whose output is their result (validate): the console shows warnings only
     *              and the agent's log file is left alone, unless the root logger says otherwise
     * @return the warnings to log once logging is configured
     */
    static List<String> configure(Layout layout, Properties system, boolean quiet) {
        List<String> warnings = new ArrayList<>();
        setIfAbsent(system, "log4j2.configurationFile", configurationFile(layout));
        setIfAbsent(system, "sluice.log.dir", layout.logs().toString());
        // The launcher stops logging itself, after the framework has stopped: log4j's own hook would
        // close the appenders while bundles still log their shutdown.
        setIfAbsent(system, "log4j2.shutdownHookEnabled", "false");
        setIfAbsent(system, "java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
        setIfAbsent(system, CONTEXT_SELECTOR, ONE_CONTEXT);

        String spec = system.getProperty("sluice.root.logger", system.getProperty("flume.root.logger"));
        RootLogger.parse(spec, warnings).ifPresentOrElse(root -> {
            setIfAbsent(system, "sluice.log.level", root.level());
            setIfAbsent(system, "sluice.log.console.level", root.consoleLevel());
            setIfAbsent(system, "sluice.log.file.level", root.fileLevel());
        }, () -> {
            if (quiet) {
                setIfAbsent(system, "sluice.log.console.level", "WARN");
                setIfAbsent(system, "sluice.log.file.level", "OFF");
            }
        });
        return warnings;
    }

    private static String configurationFile(Layout layout) {
        for (Path candidate : List.of(layout.conf().resolve("log4j2.xml"), layout.home().resolve("conf/log4j2.xml"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toString();
            }
        }
        return "classpath:" + FALLBACK_CONFIGURATION;
    }

    private static void setIfAbsent(Properties system, String key, String value) {
        if (system.getProperty(key) == null) {
            system.setProperty(key, value);
        }
    }
}
