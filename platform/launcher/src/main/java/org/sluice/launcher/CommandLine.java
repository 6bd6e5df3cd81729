package org.sluice.launcher;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses {@code sluice <command> [options]}. The agent options are Flume's ({@code flume-ng agent}):
 * {@code -f/--conf-file}, {@code -n/--name}, {@code -c/--conf}, {@code --no-reload-conf}, {@code -h/--help},
 * in the {@code --option value} and {@code --option=value} forms, and Flume's global {@code --plugins-path} and
 * {@code -C/--classpath}; plus Sluice's {@code --conf-poll-interval} and {@code --no-shell}. {@code -Dkey=value}
 * arguments are collected as system property definitions, and so are the plugin options
 * ({@link FlumePlugins#PLUGINS_PATH}, {@link FlumePlugins#CLASS_PATH}), which the Flume plugin bridge reads.
 */
final class CommandLine {
    /** Flume options for configuration sources Sluice does not have: refused by name rather than as unknown. */
    private static final Set<String> UNSUPPORTED_FLUME_OPTIONS = Set.of("--conf-uri", "--conf-user",
            "--conf-password", "--zkConnString", "-z", "--zkBasePath", "-p");

    private CommandLine() {
    }

    static Invocation parse(String... args) throws UsageException {
        if (args.length == 0) {
            throw new UsageException("no command given");
        }
        String word = args[0];
        switch (word) {
            case "agent":
                return parseAgentOptions(Command.AGENT, args);
            case "validate":
                return parseAgentOptions(Command.VALIDATE, args);
            case "shell":
                return parseShellOptions(args);
            case "test":
                return parseTestOptions(args);
            case "help":
            case "-h":
            case "--help":
                return Invocation.help(args.length > 1 ? Optional.of(commandNamed(args[1])) : Optional.empty());
            case "version":
            case "--version":
                return new Invocation(Command.VERSION, Optional.empty(), Invocation.DEFAULT_AGENT, Optional.empty(),
                        true, Invocation.DEFAULT_POLL_INTERVAL_SECONDS, true, Map.of(), Optional.empty());
            case "start":
            case "stop":
            case "status":
                throw new UsageException("'" + word + "' runs the agent as a daemon: use bin/sluice " + word
                        + ", not the launcher directly");
            default:
                throw new UsageException("unknown command '" + word + "'");
        }
    }

    private static Command commandNamed(String word) throws UsageException {
        for (Command command : Command.values()) {
            if (command.word().equals(word)) {
                return command;
            }
        }
        throw new UsageException("no help for unknown command '" + word + "'");
    }

    static final String RESOLVE_FILTERS = "sluice.validate.resolveFilters";

    /** An argument: {@code --option=value} split at the first '=', anything else as it is (inlineValue null). */
    record Argument(String option, String inlineValue) {
        static Argument of(String arg) {
            int equals = arg.indexOf('=');
            return arg.startsWith("--") && equals > 2 ? new Argument(arg.substring(0, equals), arg.substring(equals + 1))
                    : new Argument(arg, null);
        }
    }

    private static Invocation parseAgentOptions(Command command, String[] args) throws UsageException {
        Path confFile = null;
        String agentName = null;
        Path confDir = null;
        boolean reload = true;
        int pollInterval = Invocation.DEFAULT_POLL_INTERVAL_SECONDS;
        boolean shell = true;
        Map<String, String> definitions = new LinkedHashMap<>();

        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            Argument argument = Argument.of(arg);
            String option = argument.option();
            String inlineValue = argument.inlineValue();
            if (arg.startsWith("-D") && arg.length() > 2) {
                addDefinition(definitions, arg.substring(2));
                continue;
            }
            switch (option) {
                case "-f":
                case "--conf-file":
                    confFile = path(option, inlineValue != null ? inlineValue : value(args, ++i, option));
                    break;
                case "-n":
                case "--name":
                    agentName = inlineValue != null ? inlineValue : value(args, ++i, option);
                    if (agentName.isBlank()) {
                        throw new UsageException(option + " needs an agent name");
                    }
                    break;
                case "-c":
                case "--conf":
                    confDir = path(option, inlineValue != null ? inlineValue : value(args, ++i, option));
                    break;
                case "--no-reload-conf":
                    noValue(option, inlineValue);
                    reload = false;
                    break;
                case "--conf-poll-interval":
                    pollInterval = positiveSeconds(option, inlineValue != null ? inlineValue : value(args, ++i, option));
                    break;
                case "--no-shell":
                    noValue(option, inlineValue);
                    if (command != Command.AGENT) {
                        throw new UsageException("--no-shell applies to 'agent' only");
                    }
                    shell = false;
                    break;
                case "--plugins-path":
                    definitions.put(FlumePlugins.PLUGINS_PATH,
                            inlineValue != null ? inlineValue : value(args, ++i, option));
                    break;
                case "-C":
                case "--classpath":
                    definitions.put(FlumePlugins.CLASS_PATH, inlineValue != null ? inlineValue : value(args, ++i, option));
                    break;
                case "--resolve-filters":
                    noValue(option, inlineValue);
                    if (command != Command.VALIDATE) {
                        throw new UsageException("--resolve-filters applies to 'validate' only");
                    }
                    // Read by the platform (LaunchSettings.RESOLVE_FILTERS): validate runs external config filters.
                    definitions.put(RESOLVE_FILTERS, "true");
                    break;
                case "-h":
                case "--help":
                    return Invocation.help(Optional.of(command));
                default:
                    if (UNSUPPORTED_FLUME_OPTIONS.contains(option)) {
                        throw new UsageException("Flume's " + option + " is not supported: Sluice reads its "
                                + "configuration from a properties file (-f)");
                    }
                    throw new UsageException(arg.startsWith("-") ? "unknown option '" + arg + "'"
                            : "unexpected argument '" + arg + "'");
            }
        }

        if (confFile == null) {
            if (command == Command.VALIDATE) {
                throw new UsageException("validate needs a configuration file (-f) and an agent name (-n)");
            }
            if (agentName != null && !agentName.equals(Invocation.DEFAULT_AGENT)) {
                throw new UsageException("without -f the embedded default configuration runs, and it defines agent '"
                        + Invocation.DEFAULT_AGENT + "' only, not '" + agentName + "'");
            }
            agentName = Invocation.DEFAULT_AGENT;
        } else if (agentName == null) {
            // Flume's own message for the same mistake, so that its users recognise it.
            throw new UsageException("Missing required option: n (-n/--name: the agent of " + confFile + " to run)");
        }
        return new Invocation(command, Optional.ofNullable(confFile), agentName, Optional.ofNullable(confDir),
                reload, pollInterval, shell, definitions, Optional.empty());
    }

    /** {@code shell [-Dsluice.data=DIR]}: -D options only (they say where data/ is), or help. */
    private static Invocation parseShellOptions(String[] args) throws UsageException {
        Map<String, String> definitions = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("-D") && arg.length() > 2) {
                addDefinition(definitions, arg.substring(2));
            } else if (arg.equals("-h") || arg.equals("--help")) {
                return Invocation.help(Optional.of(Command.SHELL));
            } else {
                throw new UsageException(arg.startsWith("-") ? "unknown option '" + arg + "'"
                        : "unexpected argument '" + arg + "': 'shell' reads its commands from its input");
            }
        }
        return new Invocation(Command.SHELL, Optional.empty(), Invocation.DEFAULT_AGENT, Optional.empty(), true,
                Invocation.DEFAULT_POLL_INTERVAL_SECONDS, true, definitions, Optional.empty());
    }

    /** The suites in {@code sluice.test.suites}, as the platform reads them. */
    static final String TEST_SUITES = "sluice.test.suites";

    /** {@code sluice test [-f FILE] [-n AGENT] SUITE...}: -f and -n stand for the suites' own config and agent. */
    private static Invocation parseTestOptions(String[] args) throws UsageException {
        Path confFile = null;
        String agentName = null;
        java.util.List<String> suites = new java.util.ArrayList<>();
        Map<String, String> definitions = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            Argument argument = Argument.of(arg);
            String option = argument.option();
            String inlineValue = argument.inlineValue();
            if (arg.startsWith("-D") && arg.length() > 2) {
                addDefinition(definitions, arg.substring(2));
            } else if (option.equals("-f") || option.equals("--conf-file")) {
                confFile = path(option, inlineValue != null ? inlineValue : value(args, ++i, option));
            } else if (option.equals("-n") || option.equals("--name")) {
                agentName = inlineValue != null ? inlineValue : value(args, ++i, option);
            } else if (option.equals("-h") || option.equals("--help")) {
                return Invocation.help(Optional.of(Command.TEST));
            } else if (arg.startsWith("-")) {
                throw new UsageException("unknown option '" + arg + "'");
            } else {
                suites.add(path("test", arg).toAbsolutePath().normalize().toString());
            }
        }
        if (suites.isEmpty()) {
            throw new UsageException("test needs at least one test suite file");
        }
        definitions.put(TEST_SUITES, String.join(java.io.File.pathSeparator, suites));
        return new Invocation(Command.TEST, Optional.ofNullable(confFile), agentName, Optional.empty(), false,
                Invocation.DEFAULT_POLL_INTERVAL_SECONDS, false, definitions, Optional.empty());
    }

    private static String value(String[] args, int index, String option) throws UsageException {
        if (index >= args.length || args[index].isEmpty()) {
            throw new UsageException(option + " needs a value");
        }
        return args[index];
    }

    private static void noValue(String option, String inlineValue) throws UsageException {
        if (inlineValue != null) {
            throw new UsageException(option + " takes no value");
        }
    }

    private static Path path(String option, String value) throws UsageException {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException(option + ": not a valid path: " + value);
        }
    }

    private static int positiveSeconds(String option, String value) throws UsageException {
        try {
            int seconds = Integer.parseInt(value.trim());
            if (seconds > 0) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below, with the option's name
        }
        throw new UsageException(option + " needs a whole number of seconds above 0, not '" + value + "'");
    }

    private static void addDefinition(Map<String, String> definitions, String definition) throws UsageException {
        int equals = definition.indexOf('=');
        if (equals == 0) {
            throw new UsageException("-D" + definition + ": no property name");
        }
        // -Dname alone defines name as the empty string, as the java command does.
        definitions.put(equals < 0 ? definition : definition.substring(0, equals),
                equals < 0 ? "" : definition.substring(equals + 1));
    }
}
