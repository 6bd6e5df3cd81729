package org.sluice.launcher;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed command line.
 *
 * @param command          what to do
 * @param confFile         the agent configuration (-f), empty for the embedded default agent
 * @param agentName        the agent to run from it (-n)
 * @param confDir          the directory with log4j2.xml and sluice-env.sh (-c), empty for $SLUICE_HOME/conf
 * @param reloadConf       whether the platform watches the configuration file for changes (off with --no-reload-conf)
 * @param pollIntervalSeconds how often it looks (--conf-poll-interval)
 * @param shellRequested   false when --no-shell was given; the interactive shell also needs a terminal
 * @param definitions      -Dkey=value arguments given after the command, applied as system properties
 * @param helpTopic        for {@link Command#HELP}: the command whose help was asked for, if any
 */
record Invocation(Command command, Optional<Path> confFile, String agentName, Optional<Path> confDir,
                  boolean reloadConf, int pollIntervalSeconds, boolean shellRequested,
                  Map<String, String> definitions, Optional<Command> helpTopic) {

    /** The agent of the embedded default configuration: the Flume User Guide's first example calls it a1. */
    static final String DEFAULT_AGENT = "a1";
    /** Flume re-reads its configuration file every 30 seconds; so does Sluice unless told otherwise. */
    static final int DEFAULT_POLL_INTERVAL_SECONDS = 30;

    Invocation {
        definitions = Map.copyOf(definitions);
    }

    static Invocation help(Optional<Command> topic) {
        return new Invocation(Command.HELP, Optional.empty(), DEFAULT_AGENT, Optional.empty(), true,
                DEFAULT_POLL_INTERVAL_SECONDS, true, Map.of(), topic);
    }

    boolean usesEmbeddedDefault() {
        return confFile.isEmpty();
    }
}
