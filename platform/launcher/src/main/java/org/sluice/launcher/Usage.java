package org.sluice.launcher;

import java.util.Optional;

/** The help texts. */
final class Usage {
    private static final String GENERAL = String.join("\n",
            "Usage: sluice <command> [options] [-Dproperty=value ...]",
            "",
            "Commands:",
            "  agent      run an agent in the foreground (the embedded default agent without -f)",
            "  validate   check a configuration file against the installed plugins, run nothing",
            "  start      run an agent in the background (bin/sluice only; pid in data/sluice.pid)",
            "  stop       stop the background agent, waiting for it to drain",
            "  status     tell whether the background agent runs (exit 0) or not (exit 3)",
            "  shell      attach to the background agent's shell ('sluice help shell')",
            "  check-file-channel  check a file channel's directories, read-only (bin/sluice only;",
            "             'sluice help check-file-channel')",
            "  version    print the version",
            "  help [command]",
            "",
            "-D options and $JAVA_OPTS go to the JVM; conf/sluice-env.sh is read first, as Flume reads flume-env.sh.",
            "");

    private static final String AGENT = String.join("\n",
            "Usage: sluice agent [-f FILE -n AGENT] [options] [-Dproperty=value ...]",
            "",
            "  -f, --conf-file FILE          the agent configuration, a Flume properties file",
            "  -n, --name AGENT              the agent of FILE to run (required with -f; a1 without)",
            "  -c, --conf DIR                configuration directory with log4j2.xml and flume-env.sh",
            "                                (default: $SLUICE_HOME/conf)",
            "      --no-reload-conf          do not apply changes of FILE while running",
            "      --conf-poll-interval SEC  how often FILE is checked for changes (default: 30)",
            "      --no-shell                no interactive shell even on a terminal (also -Dsluice.shell=false)",
            "      --plugins-path DIRS       colon-separated plugins.d directories of Flume plugins",
            "                                (default: $SLUICE_HOME/plugins.d)",
            "  -C, --classpath PATH          Flume plugin jars and class directories, before $FLUME_CLASSPATH",
            "  -h, --help                    this help",
            "",
            "Without -f, the embedded default runs: agent a1, a netcat source on localhost:44444, a memory",
            "channel and a logger sink (the Flume User Guide's first example).",
            "",
            "Properties: -Dflume.root.logger=LEVEL,console|LOGFILE (also sluice.root.logger),",
            "  -Dflume.monitoring.type=http -Dflume.monitoring.port=PORT, -Dsluice.shell.telnet.port=PORT",
            "  (remote shell on 127.0.0.1 only; 'sluice start' opens one on a free port unless given 'off'),",
            "  -Dsluice.shell.ssh.port=PORT (the shell over SSH: public keys of conf/authorized_keys only,",
            "  -Dsluice.shell.ssh.authorizedKeys=FILE; on 127.0.0.1 unless -Dsluice.shell.ssh.host=ADDRESS),",
            "  -Dsluice.stop.timeout=SECONDS (default 60).",
            "");

    private static final String VALIDATE = String.join("\n",
            "Usage: sluice validate -f FILE -n AGENT [-c DIR] [--resolve-filters] [-Dproperty=value ...]",
            "",
            "Starts the kernel with the plugins of deploy/, checks the configuration of AGENT in FILE and prints",
            "every problem. External config filters (configfilters.F.type = external) run their command only with",
            "--resolve-filters; otherwise their references are kept as written, with a warning.",
            "Exit status: 0 no errors, 1 errors, 2 wrong command line, 3 the platform did not",
            "answer within -Dsluice.validate.timeout seconds (default 30).",
            "");

    private static final String SHELL = String.join("\n",
            "Usage: sluice shell [-Dsluice.data=DIR]",
            "",
            "Attaches to the shell of the agent started with 'sluice start': reads the port and the token the agent",
            "wrote to data/shell.port and data/shell.token (readable by the agent's user alone), then runs the",
            "commands it reads, from the terminal or a pipe, until 'exit' or the end of its input. The agent",
            "keeps running. Sluice's commands are in scope sluice: sluice:components, sluice:stopcomponent,",
            "sluice:startcomponent, sluice:config, sluice:plugins, sluice:tap and more ('help' lists them).",
            "Exit status: 0 the session ended, 1 the connection failed, 3 no agent shell to attach to.",
            "");

    private Usage() {
    }

    static String text(Optional<Command> topic) {
        return topic.map(command -> switch (command) {
            case AGENT -> AGENT;
            case VALIDATE -> VALIDATE;
            case SHELL -> SHELL;
            default -> GENERAL;
        }).orElse(GENERAL);
    }
}
