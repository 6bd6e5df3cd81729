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
            "  avro-client  send the lines of a file, of standard input or of a spooling directory to an avro",
            "             source (Flume's avro-client; 'sluice help avro-client')",
            "  start      run an agent in the background (bin/sluice only; pid in data/sluice.pid)",
            "  stop       stop the background agent, waiting for it to drain",
            "  status     tell whether the background agent runs (exit 0) or not (exit 3)",
            "  shell      attach to the background agent's shell ('sluice help shell')",
            "  check-file-channel  check a file channel's directories, read-only (bin/sluice only;",
            "             'sluice help check-file-channel')",
            "  test       run configuration tests: events through a source's interceptors and selector",
            "             ('sluice help test'; the format: docs/config-tests.md)",
            "  dist       build a distribution of your own: chosen plugins, your bundles, a default agent",
            "             ('sluice help dist')",
            "  version    print the version",
            "  help [command]",
            "",
            "-D options and $JAVA_OPTS go to the JVM; conf/sluice-env.sh is read first, as Flume reads flume-env.sh.",
            "");

    private static final String AGENT = String.join("\n",
            "Usage: sluice agent [-f FILE... | -u URI... | -z ZK] -n AGENT [options] [-Dproperty=value ...]",
            "",
            "  -f, --conf-file FILE          the agent configuration, a Flume properties file; several are merged",
            "                                in order, a later key overriding an earlier one (Flume 1.10+)",
            "  -u, --conf-uri URI            a configuration at a file:, http:, https: or classpath: URI (classpath:",
            "                                the configuration directory); several are merged, before any -f",
            "  -z, --zkConnString ZK         read the configuration from ZooKeeper (host:port,...): the whole",
            "                                properties text is the data of znode BASE/AGENT, watched; -f and -u",
            "                                are then not read",
            "  -p, --zkBasePath BASE         the parent znode of the agents' configurations (default: /flume)",
            "  -n, --name AGENT              the agent to run (required with -f, -u or -z; a1 without)",
            "      --conf-user USER          user for a configuration read over HTTP (basic authorization)",
            "      --conf-password PASSWORD  its password",
            "  -b, --backup-directory DIR    keep the configuration last read there; start from it when the",
            "                                configuration cannot be read (ZooKeeper unreachable, say)",
            "  -c, --conf DIR                configuration directory with log4j2.xml and flume-env.sh",
            "                                (default: $SLUICE_HOME/conf)",
            "      --no-reload-conf          do not apply changes of the configuration while running",
            "  -i, --poll-interval SEC       how often the configuration is checked for changes (default: 30;",
            "                                300 when read over HTTP); also --conf-poll-interval",
            "      --no-shell                no interactive shell even on a terminal (also -Dsluice.shell=false)",
            "      --plugins-path DIRS       colon-separated plugins.d directories of Flume plugins",
            "                                (default: $SLUICE_HOME/plugins.d)",
            "  -C, --classpath PATH          Flume plugin jars and class directories, before $FLUME_CLASSPATH",
            "  -h, --help                    this help",
            "",
            "Without -f, -u or -z, the embedded default runs: agent a1, a netcat source on localhost:44444, a",
            "memory channel and a logger sink (the Flume User Guide's first example).",
            "",
            "SIGHUP (kill -HUP PID) reads the configuration again now and applies what changed.",
            "",
            "Properties: -Dflume.root.logger=LEVEL,console|LOGFILE (also sluice.root.logger),",
            "  -Dflume.monitoring.type=http -Dflume.monitoring.port=PORT, -Dsluice.shell.telnet.port=PORT",
            "  (remote shell on 127.0.0.1 only; 'sluice start' opens one on a free port unless given 'off'),",
            "  -Dsluice.shell.ssh.port=PORT (the shell over SSH: public keys of conf/authorized_keys only,",
            "  -Dsluice.shell.ssh.authorizedKeys=FILE; on 127.0.0.1 unless -Dsluice.shell.ssh.host=ADDRESS),",
            "  -Dsluice.stop.timeout=SECONDS (default 60).",
            "");

    private static final String VALIDATE = String.join("\n",
            "Usage: sluice validate (-f FILE | -u URI)... -n AGENT [-c DIR] [--resolve-filters] [-Dproperty=value ...]",
            "",
            "Starts the kernel with the plugins of deploy/, checks the configuration of AGENT (the files and URIs",
            "merged as 'agent' merges them, with the same --conf-user and --conf-password) and prints",
            "every problem. External config filters (configfilters.F.type = external) run their command only with",
            "--resolve-filters; otherwise their references are kept as written, with a warning.",
            "Exit status: 0 no errors, 1 errors, 2 wrong command line, 3 the platform did not",
            "answer within -Dsluice.validate.timeout seconds (default 30).",
            "");

    private static final String AVRO_CLIENT = String.join("\n",
            "Usage: sluice avro-client (-H HOST -p PORT | -P RPC_PROPS) [-F FILE | --dirname DIR] [-R HEADER_FILE]",
            "",
            "  -H, --host HOST           the host of the avro source",
            "  -p, --port PORT           its port",
            "  -P, --rpcProps FILE       an RPC client properties file instead (client.type default or thrift, one",
            "                            host: hosts = h1, hosts.h1 = HOST:PORT, batch-size, ...)",
            "  -F, --filename FILE       the text file to send, one event per line (default: standard input)",
            "      --dirname DIR         send the finished files of a spooling directory, renaming each to",
            "                            NAME.COMPLETED once sent (as Flume's spooldir source)",
            "  -R, --headerFile FILE     headers every event carries: a properties file of key=value lines",
            "  -h, --help                this help",
            "",
            "Events go in batches of 5, as Flume's client sends them, through the installed avro sink. Exit status:",
            "0 every event was delivered, 1 a delivery failed, 2 a wrong command line, 3 the platform did not",
            "answer within -Dsluice.client.timeout seconds (default 30).",
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

    private static final String DIST = String.join("\n",
            "Usage: sluice dist [--plugins NAME,...] [--add JAR,...] [--conf FILE [--agent AGENT]] [--name NAME]",
            "                   [--no-validate] -o OUTPUT",
            "",
            "Builds a distribution from this installation. OUTPUT ending in .tar.gz or .tgz: a tarball (NAME/ inside);",
            ".deb: a Debian package (/opt/NAME, /etc/NAME, NAME.service); anything else: a directory.",
            "",
            "  --plugins NAME,...  the plugins of deploy/ to keep (default: all), as hdfs, sink.hdfs or",
            "                      org.sluice.sink.hdfs; the library bundles they import from come along",
            "  --add JAR,...       bundles of your own to put in deploy/",
            "  --conf FILE         the agent configuration to run when no -f is given (copied to conf/)",
            "  --agent AGENT       the agent of FILE to run (default: the only one it defines)",
            "  --name NAME         the distribution's name (default: OUTPUT's file name; 'sluice' for a .deb)",
            "  --no-validate       write it even if FILE does not validate with the plugins chosen",
            "  -o, --output PATH   where to write it",
            "",
            "Example: sluice dist --plugins avro,file,hdfs --add my-sink.jar --conf my.conf -o mydist.tar.gz",
            "Exit status: 0 written, 1 failed (FILE does not validate, a bundle does not resolve), 2 wrong command line.",
            "");

    private static final String TEST = String.join("\n",
            "Usage: sluice test [-f FILE]... [-u URI]... [-n AGENT] SUITE... [-Dproperty=value ...]",
            "",
            "Runs each SUITE, a properties file of configuration tests: events put into a source of the agent,",
            "run through the source's interceptors and channel selector as configured (the plugins of deploy/,",
            "in a kernel of their own; nothing is sent anywhere), and the headers, bodies and channels that come",
            "out compared with what the suite expects. Each suite names its configuration and agent (keys config",
            "and agent); -f, -u (merged as for an agent) and -n stand for them. Prints PASS or FAIL per test,",
            "with the differences.",
            "Exit status: 0 every test passed, 1 a test failed or could not run, 2 wrong command line.",
            "");

    private Usage() {
    }

    static String text(Optional<Command> topic) {
        return topic.map(command -> switch (command) {
            case AGENT -> AGENT;
            case VALIDATE -> VALIDATE;
            case AVRO_CLIENT -> AVRO_CLIENT;
            case SHELL -> SHELL;
            case TEST -> TEST;
            case DIST -> DIST;
            default -> GENERAL;
        }).orElse(GENERAL);
    }
}
