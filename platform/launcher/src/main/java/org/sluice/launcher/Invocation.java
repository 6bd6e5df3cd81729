package org.sluice.launcher;

import java.nio.file.Path;
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
 * @param avroClient       for {@link Command#AVRO_CLIENT}: its options
 */
record Invocation(Command command, ConfigurationOptions configuration, String agentName, Optional<Path> confDir,
                  boolean shellRequested, Map<String, String> definitions, Optional<Command> helpTopic,
                  Optional<AvroClientOptions> avroClient) {

    /** The agent of the embedded default configuration: the Flume User Guide's first example calls it a1. */
    static final String DEFAULT_AGENT = "a1";

    Invocation {
        definitions = Map.copyOf(definitions);
    }

    static Invocation help(Optional<Command> topic) {
        return new Invocation(Command.HELP, ConfigurationOptions.NONE, DEFAULT_AGENT, Optional.empty(), true, Map.of(),
                topic, Optional.empty());
    }

    static Invocation of(Command command) {
        return new Invocation(command, ConfigurationOptions.NONE, DEFAULT_AGENT, Optional.empty(), true, Map.of(),
                Optional.empty(), Optional.empty());
    }

    boolean usesEmbeddedDefault() {
        return configuration.isEmpty();
    }
}
