package org.sluice.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sluice agent}: runs the kernel in the foreground until it is stopped. The platform reads the
 * agent's configuration from the framework properties; FileInstall brings etc/ and deploy/ in; the Gogo
 * shell reads the terminal, if there is one.
 */
final class AgentCommand {
    static final String STOP_TIMEOUT_PROPERTY = "sluice.stop.timeout";
    static final String SHELL_PROPERTY = "sluice.shell";
    private static final Logger LOG = LoggerFactory.getLogger(AgentCommand.class);
    private static final long START_TIMEOUT_MINUTES = 5;
    /** The kernel bundle that reads the configuration from ZooKeeper. */
    static final String ZOOKEEPER_BUNDLE = "org.sluice.config.zookeeper";

    private AgentCommand() {
    }

    /**
     * Whether the interactive Gogo shell takes the terminal. Without a terminal (a service manager, nohup,
     * a test, stdin at end of input) nothing reads stdin: the agent must not stop because its input ended.
     */
    static boolean interactiveShell(Invocation invocation, Properties system, boolean terminalAttached) {
        return terminalAttached && invocation.shellRequested()
                && !"false".equalsIgnoreCase(system.getProperty(SHELL_PROPERTY, "true"));
    }

    /**
     * The kernel bundles an agent is started without: the ZooKeeper client (bundle/3/) unless the configuration is
     * read from ZooKeeper ({@code -z}), so that every other agent neither installs nor resolves it.
     */
    static Predicate<String> leftOut(ConfigurationOptions configuration) {
        return symbolicName -> symbolicName.equals(ZOOKEEPER_BUNDLE) && !configuration.fromZooKeeper();
    }

    /** The first of the configuration's files that is not there; URIs are read by the platform. */
    static Optional<Path> missingFile(ConfigurationOptions configuration) {
        return configuration.files().stream().map(file -> file.toAbsolutePath().normalize())
                .filter(file -> !Files.isRegularFile(file)).findFirst();
    }

    static int run(Invocation invocation, Layout layout, Properties system) throws Exception {
        for (Path narrowed : layout.createWritableDirectories()) {
            LOG.warn("{} was readable by other users; it is now private to this user (0700)", narrowed);
        }
        List<String> sources;
        // The configuration's files when the launcher can read all of it, to start its plugins first.
        Optional<List<Path>> files = Optional.empty();
        ConfigurationOptions configuration = invocation.configuration();
        if (configuration.fromZooKeeper()) {
            // As in Flume, -z wins: files and URIs given beside it are not read (the platform says so too).
            sources = List.of();
        } else if (invocation.usesEmbeddedDefault()) {
            Path confFile = DefaultAgentConfiguration.writeTo(layout.data());
            sources = List.of(confFile.toString());
            files = Optional.of(List.of(confFile));
            LOG.info("No configuration file given (-f): running the embedded default agent {} from {}",
                    invocation.agentName(), confFile);
        } else {
            Optional<Path> missing = missingFile(invocation.configuration());
            if (missing.isPresent()) {
                // Flume refuses a missing file the same way (exit 1), before starting anything.
                System.err.println("sluice: the configuration file " + missing.get() + " does not exist");
                return Main.EXIT_FAILURE;
            }
            sources = invocation.configuration().sourcesInMergeOrder();
            if (configuration.uris().isEmpty()) {
                files = Optional.of(configuration.files());
            }
        }
        boolean interactive = interactiveShell(invocation, system, System.console() != null);
        Map<String, Object> properties = FrameworkProperties.forAgent(layout, invocation, sources, system, interactive);
        long stopTimeout = PropertyValues.positiveLong(system, STOP_TIMEOUT_PROPERTY, 60);

        LOG.info("Starting Sluice in {}: agent {}, configuration {} (reload: {})", layout.home(),
                invocation.agentName(), sources.isEmpty() ? configuration.describe(invocation.agentName())
                        : String.join(" + ", sources), configuration.fromZooKeeper()
                        ? (configuration.reload() ? "on, watched" : "off") : configuration.reload()
                        ? "on, every " + configuration.effectivePollIntervalSeconds() + " s" : "off");
        BundleCache cache = BundleCache.open(layout);
        cache.configure(properties);
        int deferredLevel = StartLevels.deferredPlugins(KernelBundle.in(layout.bundles()));
        // Only kept plugins can wait: FileInstall installs the others, at the plugins' start level.
        Set<Path> deferred = cache.reusable() ? deferredPlugins(layout, files, invocation.agentName()) : Set.of();
        Kernel kernel = new Kernel(properties);
        GracefulStop stop = new GracefulStop(kernel.framework(), stopTimeout, TimeUnit.SECONDS);
        // Before anything starts: a SIGTERM during the start stops cleanly too.
        stop.install();
        ReloadSignal.install(kernel.context());
        cache.prune(kernel.context(), leftOut(configuration),
                jar -> deferred.contains(jar) ? deferredLevel : StartLevels.PLUGINS);
        kernel.installKernel(layout.bundles(), leftOut(configuration));
        Kernel.Start start = kernel.start(START_TIMEOUT_MINUTES, TimeUnit.MINUTES, stop::requested);
        if (start == Kernel.Start.STOPPING) {
            return stop.awaitStop();
        }
        if (start == Kernel.Start.TIMED_OUT) {
            LOG.error("The kernel did not reach its start level within {} minutes", START_TIMEOUT_MINUTES);
            stop.request("start timed out");
            stop.awaitStop();
            return Main.EXIT_FAILURE;
        }
        if (!deferred.isEmpty()) {
            DeferredPlugins.startOnceRunning(kernel.framework(), invocation.agentName(), deferredLevel,
                    deferred.size(), DeferredPlugins.BOUND_SECONDS);
        }
        RemoteShell remoteShell = null;
        String telnetPort = system.getProperty(RemoteShell.PORT_PROPERTY);
        if (telnetPort != null && !telnetPort.isBlank() && !telnetPort.trim().equals(RemoteShell.OFF)) {
            try {
                remoteShell = RemoteShell.start(kernel.context(), layout.data(), Integer.parseInt(telnetPort.trim()));
            } catch (NumberFormatException e) {
                LOG.error("-D{}={} is not a port number: no remote shell", RemoteShell.PORT_PROPERTY, telnetPort);
            } catch (Exception e) {
                LOG.error("The remote shell did not start; the agent runs without it", e);
            }
        }
        SshShell sshShell = startSsh(kernel, layout, system);
        if (!interactive) {
            LOG.info("Running without an interactive shell; stop with SIGTERM (bin/sluice stop) or Ctrl-C");
        }
        int exit = stop.awaitStop();
        if (remoteShell != null) {
            closeQuietly(remoteShell);
        }
        if (sshShell != null) {
            closeQuietly(sshShell);
        }
        return exit;
    }

    /**
     * The jars of deploy/ (absolute, normalised, as the bundle cache knows them) to start once the agent runs; none
     * when the configuration is not all in files or the plugins' types cannot be read.
     */
    static Set<Path> deferredPlugins(Layout layout, Optional<List<Path>> files, String agent) {
        if (files.isEmpty() || agent == null) {
            return Set.of();
        }
        try {
            List<Path> jars = KernelBundle.jarsIn(layout.deploy()).stream()
                    .map(jar -> jar.toAbsolutePath().normalize()).toList();
            Map<Path, Map<String, Set<String>>> declared = PluginTypeIndex.of(jars,
                    layout.felixCache().resolve(PluginTypeIndex.FILE));
            Set<Path> deferred = DeferredPlugins.choose(declared, ConfiguredTypes.read(files.get(), agent));
            if (!deferred.isEmpty()) {
                LOG.info("{} plugins of deploy/ start once agent {} runs: its configuration does not name them",
                        deferred.size(), agent);
            }
            return deferred;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Every plugin starts with the kernel: the plugins' types could not be read ({})", e.toString());
            return Set.of();
        }
    }

    /** The SSH shell when -Dsluice.shell.ssh.port is given; a failure to start it leaves the agent running. */
    private static SshShell startSsh(Kernel kernel, Layout layout, Properties system) {
        String port = system.getProperty(SshShell.PORT_PROPERTY);
        if (port == null || port.isBlank()) {
            return null;
        }
        Path authorizedKeys = Path.of(system.getProperty(SshShell.AUTHORIZED_KEYS_PROPERTY,
                layout.conf().resolve(SshShell.AUTHORIZED_KEYS_FILE).toString())).toAbsolutePath();
        try {
            return SshShell.start(kernel.context(), layout.data(), authorizedKeys,
                    system.getProperty(SshShell.HOST_PROPERTY, "127.0.0.1"), Integer.parseInt(port.trim()));
        } catch (NumberFormatException e) {
            LOG.error("-D{}={} is not a port number: no SSH shell", SshShell.PORT_PROPERTY, port);
        } catch (Exception e) {
            LOG.error("The SSH shell did not start; the agent runs without it: {}", e.getMessage(), e);
        }
        return null;
    }

    private static void closeQuietly(AutoCloseable shell) {
        try {
            shell.close();
        } catch (Exception e) {
            LOG.debug("closing a remote shell failed: {}", e.toString());
        }
    }
}
