package org.sluice.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the tree of a custom distribution: everything of this installation but deploy/, data/ and logs/
 * (bin/, lib/, bundle/, conf/, etc/, plugins.d/, contrib/, packaging/, ...), the chosen jars in deploy/, empty
 * data/ and logs/, the default agent configuration in conf/ (named in conf/sluice-env.sh, which bin/sluice reads),
 * and dist.properties saying what went in.
 */
final class DistTree {
    static final String DESCRIPTION_FILE = "dist.properties";
    /**
     * What is not copied from the installation: deploy/ is chosen, data/ and logs/ are a running agent's and start
     * empty, dist.properties is written anew. Everything else (bin/, lib/, bundle/, conf/, etc/, plugins.d/,
     * contrib/, packaging/, README.txt) comes along as it is.
     */
    static final Set<String> NOT_COPIED = Set.of("deploy", "data", "logs", DESCRIPTION_FILE);
    /** The variables bin/sluice reads to run the default agent when no -f is given. */
    static final String CONF_FILE_VARIABLE = "SLUICE_DEFAULT_CONF_FILE";
    static final String AGENT_VARIABLE = "SLUICE_DEFAULT_AGENT";
    /** conf/ files of the distribution itself, which a default agent configuration must not replace. */
    private static final Set<String> RESERVED_CONF_FILES = Set.of("log4j2.xml", "sluice-env.sh", "flume-env.sh");

    private DistTree() {
    }

    /**
     * @param defaultAgent the agent configuration and the agent to run from it, if one was given
     */
    static void write(Path home, Path target, String name, PluginSelection.Result plugins,
            Optional<DefaultAgent> defaultAgent) throws IOException, UsageException {
        Files.createDirectories(target);
        List<Path> entries;
        try (Stream<Path> list = Files.list(home)) {
            entries = list.filter(entry -> !NOT_COPIED.contains(entry.getFileName().toString()))
                    .sorted().collect(Collectors.toList());
        }
        for (Path entry : entries) {
            copyTree(entry, target.resolve(entry.getFileName().toString()));
        }
        Path deploy = Files.createDirectories(target.resolve("deploy"));
        for (PluginSelection.Candidate bundle : plugins.kept()) {
            Files.copy(bundle.jar(), deploy.resolve(bundle.jar().getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        }
        for (PluginSelection.Candidate bundle : plugins.added()) {
            Path copy = deploy.resolve(bundle.jar().getFileName());
            if (Files.exists(copy)) {
                throw new UsageException("--add " + bundle.jar() + ": deploy/ already has a " + copy.getFileName());
            }
            Files.copy(bundle.jar(), copy);
        }
        for (String privateDirectory : new String[] {"data", "logs"}) {
            // Private from the start, as the launcher would make them at the first start (and warn).
            PrivateFiles.makePrivate(Files.createDirectories(target.resolve(privateDirectory)));
        }
        if (defaultAgent.isPresent()) {
            writeDefaultAgent(target.resolve("conf"), defaultAgent.get());
        }
        describe(target, name, plugins, defaultAgent);
    }

    /** The configuration and the agent a distribution runs when {@code bin/sluice agent} gets no -f. */
    record DefaultAgent(Path file, String agent) {
    }

    private static void writeDefaultAgent(Path conf, DefaultAgent defaultAgent) throws IOException, UsageException {
        String fileName = defaultAgent.file().getFileName().toString();
        if (RESERVED_CONF_FILES.contains(fileName)) {
            throw new UsageException("--conf " + defaultAgent.file() + ": conf/" + fileName + " is the distribution's "
                    + "own file; rename the agent configuration");
        }
        Files.createDirectories(conf);
        Files.copy(defaultAgent.file(), conf.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
        String settings = "\n# The default agent of this distribution (written by `sluice dist --conf`): bin/sluice agent,"
                + " start and\n# validate run it when no -f is given. Set either variable beforehand to run another.\n"
                + CONF_FILE_VARIABLE + "=\"${" + CONF_FILE_VARIABLE + ":-$SLUICE_HOME/conf/" + fileName + "}\"\n"
                + AGENT_VARIABLE + "=\"${" + AGENT_VARIABLE + ":-" + defaultAgent.agent() + "}\"\n";
        Files.writeString(conf.resolve("sluice-env.sh"), settings, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static void describe(Path target, String name, PluginSelection.Result plugins,
            Optional<DefaultAgent> defaultAgent) throws IOException {
        StringBuilder text = new StringBuilder()
                .append("# What went into this distribution (sluice dist).\n")
                .append("name = ").append(name).append('\n')
                .append("base = Sluice ").append(Main.version()).append('\n')
                .append("built = ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append('\n')
                .append("plugins = ").append(list(plugins.kept().stream()
                        .filter(c -> !plugins.pulledIn().contains(c)).collect(Collectors.toList()))).append('\n')
                .append("libraries = ").append(list(plugins.pulledIn())).append('\n')
                .append("added = ").append(list(plugins.added())).append('\n');
        defaultAgent.ifPresent(agent -> text.append("default.conf = conf/").append(agent.file().getFileName())
                .append('\n').append("default.agent = ").append(agent.agent()).append('\n'));
        Files.writeString(target.resolve(DESCRIPTION_FILE), text, StandardCharsets.UTF_8);
    }

    private static String list(List<PluginSelection.Candidate> bundles) {
        return bundles.stream().map(c -> c.symbolicName() + " " + c.version()).collect(Collectors.joining(", "));
    }

    /** Copies a tree; {@code from} itself may be a link (conf/ of an installed package is one, to /etc). */
    static void copyTree(Path from, Path to) throws IOException {
        from = from.toRealPath();
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path copy = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
