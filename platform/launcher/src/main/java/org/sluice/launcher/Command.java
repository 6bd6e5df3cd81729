package org.sluice.launcher;

/** What the launcher was asked to do: the first word of its command line. */
enum Command {
    /** Run an agent in the foreground until the process is told to stop. */
    AGENT("agent"),
    /** Check a configuration file with the installed plugins, print every problem, run nothing. */
    VALIDATE("validate"),
    /** Send lines of a file, of standard input or of a spooling directory to an avro source (Flume's avro-client). */
    AVRO_CLIENT("avro-client"),
    /** Attach to the remote shell of the agent running in the background. */
    SHELL("shell"),
    /** Run configuration tests: events through a source's interceptors and selector, checked against a suite. */
    TEST("test"),
    /** Build a distribution of one's own: chosen plugins, added bundles, a default agent, a name. */
    DIST("dist"),
    HELP("help"),
    VERSION("version");

    private final String word;

    Command(String word) {
        this.word = word;
    }

    String word() {
        return word;
    }
}
