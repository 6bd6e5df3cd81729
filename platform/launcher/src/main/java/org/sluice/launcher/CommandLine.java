package org.sluice.launcher;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parses {@code sluice <command> [options]}. The agent options are Flume 1.11's ({@code flume-ng agent}):
 * {@code -n/--name}, {@code -f/--conf-file} and {@code -u/--conf-uri} (each may be given several times: the
 * configurations are merged), {@code --conf-user}, {@code --conf-password}, {@code -i/--poll-interval},
 * {@code -b/--backup-directory}, {@code -z/--zkConnString}, {@code -p/--zkBasePath}, {@code --no-reload-conf},
 * {@code -c/--conf}, {@code -h/--help}, in the {@code --option value} and {@code --option=value} forms, and Flume's
 * global {@code --plugins-path} and {@code -C/--classpath}; plus Sluice's {@code --conf-poll-interval} (the same as
 * {@code -i}) and {@code --no-shell}. {@code -Dkey=value} arguments are collected as system property definitions,
 * and so are the plugin options ({@link FlumePlugins#PLUGINS_PATH}, {@link FlumePlugins#CLASS_PATH}), which the
 * Flume plugin bridge reads.
 *
 * <p>An option that takes one value and is given twice with different values is refused: Flume keeps the first and
 * drops the other without a word, which hides a mistake in a service definition.
 */
final class CommandLine {
    /** Flume options for what Sluice does not have: refused by name, with the reason, rather than as unknown. */
    private static final Map<String, String> UNSUPPORTED_FLUME_OPTIONS = Map.of(
            "--conf-provider", "a configuration provider class cannot be loaded; give files (-f) or URIs (-u)",
            "-prov", "a configuration provider class cannot be loaded; give files (-f) or URIs (-u)",
            "--auth-provider", "an authorization provider class cannot be loaded; for basic authorization give "
                    + "--conf-user and --conf-password",
            "-a", "an authorization provider class cannot be loaded; for basic authorization give --conf-user and "
                    + "--conf-password");

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
            case "avro-client":
                return parseAvroClientOptions(args);
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
                return Invocation.of(Command.VERSION);
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

    /** The values of single-valued options, refusing a second, different one. */
    private static final class Singles {
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, String> spelling = new LinkedHashMap<>();

        /** @param name the option's canonical name; {@code given} how the user wrote it */
        String put(String name, String given, String value) throws UsageException {
            String earlier = values.putIfAbsent(name, value);
            if (earlier != null && !earlier.equals(value)) {
                throw new UsageException(given + " is given twice (" + spelling.get(name) + " " + shown(name, earlier)
                        + ", then " + given + " " + shown(name, value) + "); give it once");
            }
            spelling.putIfAbsent(name, given);
            return value;
        }

        private static String shown(String name, String value) {
            return name.equals("--conf-password") ? "****" : "'" + value + "'";
        }
    }

    /** An argument: {@code --option=value} split at the first '=', anything else as it is (inlineValue null). */
    record Argument(String option, String inlineValue) {
        static Argument of(String arg) {
            int equals = arg.indexOf('=');
            return arg.startsWith("--") && equals > 2 ? new Argument(arg.substring(0, equals), arg.substring(equals + 1))
                    : new Argument(arg, null);
        }
    }

    /**
     * The arguments after the command word, read left to right. An option's value is the part after its '=', else
     * the argument after it, which is then consumed.
     */
    private static final class ArgumentReader {
        private final String[] args;
        private int index;

        ArgumentReader(String[] args) {
            this.args = args;
        }

        /** Moves to the next argument; false when there is none. */
        boolean next() {
            return ++index < args.length;
        }

        /** The current argument as given. */
        String arg() {
            return args[index];
        }

        /** The current argument split at its '=' ({@link Argument#of}). */
        Argument argument() {
            return Argument.of(args[index]);
        }

        /** The value of {@code argument}, the current one however it was split. */
        String value(Argument argument) throws UsageException {
            return argument.inlineValue() != null ? argument.inlineValue()
                    : CommandLine.value(args, ++index, argument.option());
        }
    }

    private static Invocation parseAgentOptions(Command command, String[] args) throws UsageException {
        List<Path> confFiles = new ArrayList<>();
        List<String> confUris = new ArrayList<>();
        Singles singles = new Singles();
        String agentName = null;
        Path confDir = null;
        boolean reload = true;
        int pollInterval = 0;
        String user = null;
        String password = null;
        Path backupDirectory = null;
        String zooKeeper = null;
        String zooKeeperBasePath = null;
        boolean shell = true;
        Map<String, String> definitions = new LinkedHashMap<>();

        ArgumentReader in = new ArgumentReader(args);
        while (in.next()) {
            String arg = in.arg();
            Argument argument = in.argument();
            String option = argument.option();
            String inlineValue = argument.inlineValue();
            if (arg.startsWith("-D") && arg.length() > 2) {
                addDefinition(definitions, arg.substring(2));
                continue;
            }
            switch (option) {
                case "-f":
                case "--conf-file":
                    confFiles.add(path(option, in.value(argument)));
                    break;
                case "-u":
                case "--conf-uri":
                    confUris.add(uri(option, in.value(argument)));
                    break;
                case "-n":
                case "--name":
                    agentName = singles.put("--name", option, in.value(argument));
                    if (agentName.isBlank()) {
                        throw new UsageException(option + " needs an agent name");
                    }
                    break;
                case "-c":
                case "--conf":
                    confDir = path(option, singles.put("--conf", option, in.value(argument)));
                    break;
                case "--no-reload-conf":
                    noValue(option, inlineValue);
                    reload = false;
                    break;
                case "-i":
                case "--poll-interval":
                case "--conf-poll-interval":
                    pollInterval = positiveSeconds(option, singles.put("--poll-interval", option, in.value(argument)));
                    break;
                case "-user":
                case "--conf-user":
                    user = singles.put("--conf-user", option, in.value(argument));
                    break;
                case "-pwd":
                case "--conf-password":
                    password = singles.put("--conf-password", option, in.value(argument));
                    break;
                case "-b":
                case "--backup-directory":
                    backupDirectory = path(option, singles.put("--backup-directory", option, in.value(argument)));
                    break;
                case "-z":
                case "--zkConnString":
                    zooKeeper = singles.put("--zkConnString", option, in.value(argument));
                    break;
                case "-p":
                case "--zkBasePath":
                    zooKeeperBasePath = singles.put("--zkBasePath", option, in.value(argument));
                    if (!zooKeeperBasePath.startsWith("/")) {
                        throw new UsageException(option + " " + zooKeeperBasePath + ": a ZooKeeper path starts with '/'");
                    }
                    break;
                case "--no-shell":
                    noValue(option, inlineValue);
                    if (command != Command.AGENT) {
                        throw new UsageException("--no-shell applies to 'agent' only");
                    }
                    shell = false;
                    break;
                case "--plugins-path":
                    definitions.put(FlumePlugins.PLUGINS_PATH, in.value(argument));
                    break;
                case "-C":
                case "--classpath":
                    definitions.put(FlumePlugins.CLASS_PATH, in.value(argument));
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
                    if (UNSUPPORTED_FLUME_OPTIONS.containsKey(option)) {
                        throw new UsageException("Flume's " + option + " is not supported: "
                                + UNSUPPORTED_FLUME_OPTIONS.get(option));
                    }
                    throw new UsageException(arg.startsWith("-") ? "unknown option '" + arg + "'"
                            : "unexpected argument '" + arg + "'");
            }
        }

        if (zooKeeperBasePath != null && zooKeeper == null) {
            throw new UsageException("-p/--zkBasePath is the base path in ZooKeeper: it needs -z/--zkConnString");
        }
        if (zooKeeper != null && command == Command.VALIDATE) {
            throw new UsageException("validate reads files and URIs (-f, -u), not ZooKeeper: save the znode's data "
                    + "to a file (zkCli.sh get) and validate that");
        }
        ConfigurationOptions configuration = new ConfigurationOptions(confFiles, confUris, reload, pollInterval,
                Optional.ofNullable(user), Optional.ofNullable(password), Optional.ofNullable(backupDirectory),
                Optional.ofNullable(zooKeeper), Optional.ofNullable(zooKeeperBasePath));
        if (configuration.isEmpty()) {
            if (command == Command.VALIDATE) {
                throw new UsageException("validate needs a configuration (-f or -u) and an agent name (-n)");
            }
            if (agentName != null && !agentName.equals(Invocation.DEFAULT_AGENT)) {
                throw new UsageException("without -f the embedded default configuration runs, and it defines agent '"
                        + Invocation.DEFAULT_AGENT + "' only, not '" + agentName + "'");
            }
            agentName = Invocation.DEFAULT_AGENT;
        } else if (agentName == null) {
            // Flume's own message for the same mistake, so that its users recognise it.
            throw new UsageException("Missing required option: n (-n/--name: the agent of "
                    + configuration.describe("<agent>") + " to run)");
        }
        return new Invocation(command, configuration, agentName, Optional.ofNullable(confDir), shell, definitions,
                Optional.empty(), Optional.empty());
    }

    /**
     * Flume's {@code flume-ng avro-client} options: {@code -H/--host}, {@code -p/--port}, {@code -P/--rpcProps},
     * {@code -F/--filename}, {@code --dirname}, {@code -R/--headerFile}, {@code -h/--help}; checked as Flume checks
     * them, with Flume's messages.
     */
    private static Invocation parseAvroClientOptions(String[] args) throws UsageException {
        Singles singles = new Singles();
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> definitions = new LinkedHashMap<>();
        Path confDir = null;
        ArgumentReader in = new ArgumentReader(args);
        while (in.next()) {
            String arg = in.arg();
            if (arg.startsWith("-D") && arg.length() > 2) {
                addDefinition(definitions, arg.substring(2));
                continue;
            }
            String option = arg;
            String inlineValue = null;
            if (arg.startsWith("--") && arg.indexOf('=') > 2) {
                option = arg.substring(0, arg.indexOf('='));
                inlineValue = arg.substring(arg.indexOf('=') + 1);
            } else if (arg.length() > 2 && arg.charAt(0) == '-' && arg.charAt(1) != '-'
                    && "HpPFR".indexOf(arg.charAt(1)) >= 0) {
                // commons-cli reads -p41414 as -p 41414
                option = arg.substring(0, 2);
                inlineValue = arg.substring(2);
            }
            String name = switch (option) {
                case "-H", "--host" -> "host";
                case "-p", "--port" -> "port";
                case "-P", "--rpcProps" -> "rpcProps";
                case "-F", "--filename" -> "filename";
                case "--dirname" -> "dirname";
                case "-R", "--headerFile" -> "headerFile";
                case "-c", "--conf" -> "conf";
                case "-h", "--help" -> "help";
                default -> throw new UsageException(arg.startsWith("-") ? "unknown option '" + arg + "'"
                        : "unexpected argument '" + arg + "'");
            };
            if (name.equals("help")) {
                return Invocation.help(Optional.of(Command.AVRO_CLIENT));
            }
            String value = singles.put("--" + name, option, in.value(new Argument(option, inlineValue)));
            if (name.equals("conf")) {
                confDir = path(option, value);
            } else {
                values.put(name, value);
            }
        }
        AvroClientOptions options = AvroClientOptions.of(values);
        return new Invocation(Command.AVRO_CLIENT, ConfigurationOptions.NONE, Invocation.DEFAULT_AGENT,
                Optional.ofNullable(confDir), false, definitions, Optional.empty(), Optional.of(options));
    }

    /** A URI with a scheme Sluice reads: file, http, https or classpath (Flume's). */
    private static String uri(String option, String value) throws UsageException {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new UsageException(option + ": not a valid URI: " + value);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!List.of("file", "http", "https", "classpath").contains(scheme)) {
            throw new UsageException(option + " " + value + ": a URI of scheme file:, http:, https: or classpath: is "
                    + "needed (a plain file is given with -f)");
        }
        return value;
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
        return new Invocation(Command.SHELL, ConfigurationOptions.NONE, Invocation.DEFAULT_AGENT, Optional.empty(), true,
                definitions, Optional.empty(), Optional.empty());
    }

    /** The suites in {@code sluice.test.suites}, as the platform reads them. */
    static final String TEST_SUITES = "sluice.test.suites";

    /**
     * {@code sluice test [-f FILE]... [-u URI]... [-n AGENT] SUITE...}: the configuration options, when given, stand
     * for each suite's own config and agent; they take several sources, merged as for an agent.
     */
    private static Invocation parseTestOptions(String[] args) throws UsageException {
        List<Path> confFiles = new ArrayList<>();
        List<String> confUris = new ArrayList<>();
        Singles singles = new Singles();
        String agentName = null;
        String user = null;
        String password = null;
        List<String> suites = new ArrayList<>();
        Map<String, String> definitions = new LinkedHashMap<>();
        ArgumentReader in = new ArgumentReader(args);
        while (in.next()) {
            String arg = in.arg();
            Argument argument = in.argument();
            String option = argument.option();
            String inlineValue = argument.inlineValue();
            if (arg.startsWith("-D") && arg.length() > 2) {
                addDefinition(definitions, arg.substring(2));
            } else if (option.equals("-f") || option.equals("--conf-file")) {
                confFiles.add(path(option, in.value(argument)));
            } else if (option.equals("-u") || option.equals("--conf-uri")) {
                confUris.add(uri(option, in.value(argument)));
            } else if (option.equals("-n") || option.equals("--name")) {
                agentName = singles.put("--name", option, in.value(argument));
            } else if (option.equals("-user") || option.equals("--conf-user")) {
                user = singles.put("--conf-user", option, in.value(argument));
            } else if (option.equals("-pwd") || option.equals("--conf-password")) {
                password = singles.put("--conf-password", option, in.value(argument));
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
        ConfigurationOptions configuration = new ConfigurationOptions(confFiles, confUris, false, 0,
                Optional.ofNullable(user), Optional.ofNullable(password), Optional.empty(), Optional.empty(),
                Optional.empty());
        // agentName stays null unless -n is given: each suite names its agent
        return new Invocation(Command.TEST, configuration, agentName, Optional.empty(), false, definitions,
                Optional.empty(), Optional.empty());
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
