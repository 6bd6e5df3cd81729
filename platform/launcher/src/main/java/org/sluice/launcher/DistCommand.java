package org.sluice.launcher;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.osgi.framework.BundleException;

/**
 * {@code sluice dist}: a distribution of one's own from this installation, with the plugins chosen (and the
 * library bundles they need), bundles added, a default agent configuration and a name; written as a tarball, a
 * Debian package or a directory. The configuration is checked by the new distribution's own
 * {@code bin/sluice validate} before anything is written, so a type no chosen plugin provides is caught here
 * rather than on the server.
 */
final class DistCommand {
    /** {@code a1.sources = r1}: the agents a properties file defines. */
    private static final Pattern AGENT_KEY = Pattern.compile("([^.\\s]+)\\.(sources|channels|sinks)");
    private static final long VALIDATE_TIMEOUT_SECONDS = 120;

    private DistCommand() {
    }

    static int run(List<String> args) {
        DistOptions options;
        try {
            options = DistOptions.parse(args);
        } catch (UsageException e) {
            System.err.println("sluice: " + e.getMessage());
            System.err.println("Try 'sluice help dist'.");
            return Main.EXIT_USAGE;
        }
        Layout layout = Layout.resolve(System.getProperties(), System.getenv(), Optional.empty());
        Path work = null;
        try {
            Optional<DistTree.DefaultAgent> defaultAgent = defaultAgent(options);
            Path output = options.output().toAbsolutePath().normalize();
            if (Files.exists(output) && !(options.format() == DistOptions.Format.DIRECTORY && isEmptyDirectory(output))) {
                throw new UsageException("dist: " + output + " exists; remove it or choose another -o");
            }
            work = Files.createTempDirectory("sluice-dist");
            PluginSelection.Result plugins = PluginSelection.select(layout, options.plugins(), options.added(),
                    work.resolve("framework"));
            Path tree = work.resolve("tree").resolve(options.name());
            DistTree.write(layout.home(), tree, options.name(), plugins, defaultAgent);
            report(plugins);
            if (defaultAgent.isPresent() && options.validate() && !validates(tree, work.resolve("validate"))) {
                System.err.println("sluice: the configuration does not validate with the plugins chosen (see above); "
                        + "nothing written. Add the plugins it needs, or --no-validate to write it all the same.");
                return Main.EXIT_FAILURE;
            }
            switch (options.format()) {
                case TAR_GZ:
                    tar(tree, output);
                    break;
                case DEB:
                    DebianPackage.build(tree, options.name(), Main.version(), work.resolve("deb"), output);
                    break;
                default:
                    DistTree.copyTree(tree, output);
                    break;
            }
            System.out.println("Wrote " + output);
            return Main.EXIT_OK;
        } catch (UsageException e) {
            System.err.println("sluice: " + e.getMessage());
            return Main.EXIT_USAGE;
        } catch (BundleException e) {
            System.err.println("sluice: dist: " + e.getMessage());
            return Main.EXIT_FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("sluice: dist: interrupted");
            return Main.EXIT_FAILURE;
        } catch (IOException | RuntimeException e) {
            System.err.println("sluice: dist failed: " + e);
            return Main.EXIT_FAILURE;
        } finally {
            if (work != null) {
                deleteQuietly(work);
            }
        }
    }

    private static Optional<DistTree.DefaultAgent> defaultAgent(DistOptions options) throws IOException, UsageException {
        if (options.confFile().isEmpty()) {
            return Optional.empty();
        }
        Path file = options.confFile().get();
        if (!Files.isRegularFile(file)) {
            throw new UsageException("dist: --conf " + file + ": no such file");
        }
        Set<String> agents = agentsOf(file);
        String agent;
        if (options.agent().isPresent()) {
            agent = options.agent().get();
            if (!agents.contains(agent)) {
                throw new UsageException("dist: " + file + " defines no agent '" + agent + "' (it defines: "
                        + (agents.isEmpty() ? "none" : String.join(", ", agents)) + ")");
            }
        } else if (agents.size() == 1) {
            agent = agents.iterator().next();
        } else {
            throw new UsageException("dist: " + file + " defines " + (agents.isEmpty() ? "no agent"
                    : "the agents " + String.join(", ", agents)) + "; name the default one with --agent");
        }
        return Optional.of(new DistTree.DefaultAgent(file, agent));
    }

    /** The agents of a Flume properties file: the prefixes of its {@code .sources}, {@code .channels}, {@code .sinks}. */
    static Set<String> agentsOf(Path file) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        Set<String> agents = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            Matcher matcher = AGENT_KEY.matcher(key.trim());
            if (matcher.matches()) {
                agents.add(matcher.group(1));
            }
        }
        return agents;
    }

    private static void report(PluginSelection.Result plugins) {
        System.out.println("Plugins: " + plugins.named().entrySet().stream()
                .map(entry -> entry.getKey().equals(entry.getValue().symbolicName()) ? entry.getKey()
                        : entry.getKey() + " (" + entry.getValue().symbolicName() + ")")
                .collect(Collectors.joining(", ")));
        if (!plugins.pulledIn().isEmpty()) {
            System.out.println("Bundles they need: " + plugins.pulledIn().stream()
                    .map(PluginSelection.Candidate::symbolicName).collect(Collectors.joining(", ")));
        }
        for (PluginSelection.Candidate replaced : plugins.replaced()) {
            System.out.println("Replaced by an added bundle: " + replaced.symbolicName() + " " + replaced.version()
                    + " of deploy/");
        }
        if (!plugins.added().isEmpty()) {
            System.out.println("Added: " + plugins.added().stream()
                    .map(c -> c.symbolicName() + " " + c.version()).collect(Collectors.joining(", ")));
        }
    }

    /** The new tree's own {@code bin/sluice validate} on its default agent: its plugins, its configuration. */
    private static boolean validates(Path tree, Path scratch) throws IOException, InterruptedException {
        System.out.println("Validating the default agent with the plugins chosen:");
        // Its log and state go to scratch: the distribution is to start with empty logs/ and data/.
        ProcessBuilder builder = new ProcessBuilder("bash", tree.resolve("bin/sluice").toString(), "validate",
                "-Dsluice.data=" + Files.createDirectories(scratch.resolve("data")))
                .inheritIO().redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> environment = builder.environment();
        environment.put("SLUICE_LOG_DIR", Files.createDirectories(scratch.resolve("logs")).toString());
        // The new tree's settings, not those of the installation it is built from.
        environment.remove("SLUICE_HOME");
        environment.remove(DistTree.CONF_FILE_VARIABLE);
        environment.remove(DistTree.AGENT_VARIABLE);
        Process process = builder.start();
        if (!process.waitFor(VALIDATE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("validate did not end within " + VALIDATE_TIMEOUT_SECONDS + " s");
        }
        return process.exitValue() == 0;
    }

    /** GNU tar, as on every system bin/sluice runs on; file modes kept, owners made root's. */
    private static void tar(Path tree, Path output) throws IOException, InterruptedException {
        Files.createDirectories(output.getParent());
        Process process = new ProcessBuilder("tar", "--owner=0", "--group=0", "--numeric-owner", "-C",
                tree.getParent().toString(), "-czf", output.toString(), tree.getFileName().toString())
                .redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException("tar failed writing " + output + ":\n" + text);
        }
    }

    private static boolean isEmptyDirectory(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("sluice: dist: could not remove its temporary directory " + root + ": " + e);
        }
    }
}
