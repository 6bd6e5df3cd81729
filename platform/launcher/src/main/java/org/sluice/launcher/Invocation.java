package org.sluice.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed command line.
 *
 * @param command          what to do
 * @param configuration    where the agent's configuration comes from; none for the embedded default agent
 * @param agentName        the agent to run from it (-n)
 * @param confDir          the directory with log4j2.xml and sluice-env.sh (-c), empty for $SLUICE_HOME/conf
 * @param shellRequested   false when --no-shell was given; the interactive shell also needs a terminal
 * @param definitions      -Dkey=value arguments given after the command, applied as system properties
 * @param helpTopic        for {@link Command#HELP}: the command whose help was asked for, if any
 * @param arguments        for a command that parses its own (avro-client): its arguments, as given
 */
record Invocation(Command command, ConfigurationOptions configuration, String agentName, Optional<Path> confDir,
                  boolean shellRequested, Map<String, String> definitions, Optional<Command> helpTopic,
                  List<String> arguments) {

    /** The agent of the embedded default configuration: the Flume User Guide's first example calls it a1. */
    static final String DEFAULT_AGENT = "a1";

    Invocation {
        definitions = Map.copyOf(definitions);
        arguments = List.copyOf(arguments);
    }

    static Invocation help(Optional<Command> topic) {
        return new Invocation(Command.HELP, ConfigurationOptions.NONE, DEFAULT_AGENT, Optional.empty(), true, Map.of(),
                topic, List.of());
    }

    static Invocation of(Command command) {
        return new Invocation(command, ConfigurationOptions.NONE, DEFAULT_AGENT, Optional.empty(), true, Map.of(),
                Optional.empty(), List.of());
    }

    boolean usesEmbeddedDefault() {
        return configuration.isEmpty();
    }
}
