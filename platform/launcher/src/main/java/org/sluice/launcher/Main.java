package org.sluice.launcher;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.apache.logging.log4j.LogManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sluice <command> [options]}: the entry point of bin/sluice and bin/flume-ng.
 *
 * <p>Exit codes: 0 done (or stopped cleanly), 1 failed (for validate: the configuration has errors),
 * 2 the command line is wrong, 3 the platform's service did not appear in time.
 */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_UNAVAILABLE = 3;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length > 0 && args[0].equals(Command.DIST.word())) {
            // Its own options; it builds files and starts no kernel of this installation.
            return DistCommand.run(java.util.Arrays.asList(args).subList(1, args.length));
        }
        Invocation invocation;
        try {
            invocation = CommandLine.parse(withOptionsFile(args));
        } catch (UsageException e) {
            System.err.println("sluice: " + e.getMessage());
            System.err.println("Try 'sluice help'.");
            return EXIT_USAGE;
        }
        switch (invocation.command()) {
            case HELP:
                System.out.print(Usage.text(invocation.helpTopic()));
                return EXIT_OK;
            case VERSION:
                System.out.println("Sluice " + version());
                return EXIT_OK;
            case SHELL:
                return runShellClient(invocation);
            default:
                return runKernel(invocation);
        }
    }

    /**
     * {@code flume-ng agent}'s arguments completed from Flume's options file ({@link OptionsFile}), which only
     * Flume's command reads ({@code -Dsluice.flume.opts=true}, set by bin/flume-ng).
     */
    static String[] withOptionsFile(String[] args) throws UsageException {
        if (args.length == 0 || !args[0].equals("agent") || !Boolean.getBoolean(OptionsFile.ENABLED_PROPERTY)) {
            return args;
        }
        Path confDir = OptionsFile.confDirectory(args)
                .orElseGet(() -> Layout.resolve(System.getProperties(), System.getenv(), Optional.empty()).conf());
        Optional<Path> file = OptionsFile.locate(OptionsFile.SYSTEM_FILE, confDir);
        if (file.isEmpty()) {
            return args;
        }
        String[] completed = OptionsFile.merge(args, file.get());
        if (completed.length > args.length) {
            // No logger exists yet (LoggingSetup comes later); the launcher's own stderr says it.
            System.err.println("sluice: options taken from " + file.get() + ": "
                    + OptionsFile.shown(Arrays.copyOfRange(completed, args.length, completed.length)));
        }
        return completed;
    }

    private static int runKernel(Invocation invocation) {
        Properties system = System.getProperties();
        invocation.definitions().forEach(system::setProperty);
        FlumePlugins.apply(system, System.getenv());
        Layout layout = Layout.resolve(system, System.getenv(), invocation.confDir());
        // No logger may exist before this: it decides where log4j reads its configuration.
        List<String> warnings = LoggingSetup.configure(layout, system, invocation.command() != Command.AGENT);
        Logger log = LoggerFactory.getLogger(Main.class);
        warnings.forEach(log::warn);
        List<String> fromEnvironment = SslEnvironment.apply(system, System.getenv());
        if (!fromEnvironment.isEmpty()) {
            log.info("TLS settings taken from FLUME_SSL_* environment variables: {}", fromEnvironment);
        }
        try {
            switch (invocation.command()) {
                case VALIDATE:
                    return ValidateCommand.run(invocation, layout, system);
                case AVRO_CLIENT:
                    return AvroClientCommand.run(invocation, layout, system);
                case TEST:
                    return TestCommand.run(invocation, layout, system);
                default:
                    return AgentCommand.run(invocation, layout, system);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("Interrupted", e);
            return EXIT_FAILURE;
        } catch (Exception e) {
            log.error("Sluice failed: {}", e.getMessage(), e);
            return EXIT_FAILURE;
        } finally {
            LogManager.shutdown();
        }
    }

    /** No kernel and no logging: the client only talks to the running agent's shell. */
    private static int runShellClient(Invocation invocation) {
        Properties system = System.getProperties();
        invocation.definitions().forEach(system::setProperty);
        Layout layout = Layout.resolve(system, System.getenv(), Optional.empty());
        return ShellClient.run(layout.data(), System.in, System.out, System.err);
    }

    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }
}
