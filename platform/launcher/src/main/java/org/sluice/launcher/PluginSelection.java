package org.sluice.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.felix.framework.Felix;
import org.apache.felix.framework.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Which jars of deploy/ a custom distribution keeps: the plugins asked for by name, the bundles added, and every
 * bundle of deploy/ they are wired to. The wiring is Felix's own: every bundle of bundle/ and deploy/ and the
 * added ones are installed (not started) in a throwaway framework and resolved, so a library bundle is kept
 * exactly when a kept plugin imports from it, as at run time.
 */
final class PluginSelection {

    /** A bundle of deploy/ (or added), with the names {@code --plugins} knows it by. */
    record Candidate(Path jar, String symbolicName, String version) {

        /**
         * {@code org.sluice.sink.hdfs} is also {@code sink.hdfs} and {@code hdfs}; other bundles (libraries) go by
         * their symbolic name only.
         */
        Set<String> names() {
            Set<String> names = new LinkedHashSet<>();
            names.add(symbolicName);
            String prefix = "org.sluice.";
            if (symbolicName.startsWith(prefix)) {
                names.add(symbolicName.substring(prefix.length()));
                names.add(symbolicName.substring(symbolicName.lastIndexOf('.') + 1));
            }
            return names;
        }

        boolean isPlugin() {
            return symbolicName.startsWith("org.sluice.");
        }
    }

    /**
     * @param kept     the jars of deploy/ to keep, by file name
     * @param added    the added bundles
     * @param replaced the bundles of deploy/ left out because an added one has their symbolic name
     * @param named    which plugin each name chose
     * @param pulledIn the bundles kept because a kept bundle is wired to them
     */
    record Result(List<Candidate> kept, List<Candidate> added, List<Candidate> replaced, Map<String, Candidate> named,
            List<Candidate> pulledIn) {
    }

    /**
     * Kept in every distribution, by service interface and type name: what any agent uses without naming it (a
     * source's default {@code replicating} selector, a sink's {@code default} processor), as Flume has them in its
     * core. Found by the type a bundle registers ({@link DeclaredTypes}), whatever bundle provides it.
     */
    static final Map<String, String> ALWAYS_KEPT = Map.of(
            "org.sluice.api.selector.ChannelSelectorFactory", "replicating",
            "org.sluice.api.sink.SinkProcessorFactory", "default");

    private PluginSelection() {
    }

    /** Every bundle in deploy/, by file name. */
    static List<Candidate> deployed(Path deploy) throws IOException {
        List<Candidate> candidates = new ArrayList<>();
        for (Path jar : KernelBundle.jarsIn(deploy)) {
            candidate(jar).ifPresent(candidates::add);
        }
        return candidates;
    }

    /**
     * @param names the plugin names asked for; empty: every bundle of deploy/
     */
    static Result select(Layout layout, Optional<List<String>> names, List<Path> addedJars, Path storage)
            throws IOException, UsageException, BundleException, InterruptedException {
        List<Candidate> deployed = deployed(layout.deploy());
        List<Candidate> added = new ArrayList<>();
        for (Path jar : addedJars) {
            if (!Files.isRegularFile(jar)) {
                throw new UsageException("--add " + jar + ": no such file");
            }
            added.add(candidate(jar).orElseThrow(() -> new UsageException("--add " + jar + " is not an OSGi bundle (no "
                    + Constants.BUNDLE_SYMBOLICNAME + " in its manifest): plugins are bundles; a plain jar a component "
                    + "loads itself belongs in plugins.d/")));
        }
        // An added bundle replaces the one of deploy/ with its symbolic name (a user's own build of a plugin).
        Set<String> addedNames = added.stream().map(Candidate::symbolicName).collect(Collectors.toSet());
        List<Candidate> replaced = deployed.stream().filter(c -> addedNames.contains(c.symbolicName()))
                .collect(Collectors.toList());
        deployed.removeAll(replaced);
        Map<String, Candidate> named = new LinkedHashMap<>();
        if (names.isEmpty()) {
            deployed.forEach(candidate -> named.put(candidate.symbolicName(), candidate));
        } else {
            for (Candidate candidate : providersOfAlwaysKept(deployed)) {
                named.put(candidate.symbolicName(), candidate);
            }
            List<Candidate> choices = new ArrayList<>(deployed);
            choices.addAll(added);
            for (String name : names.get()) {
                named.put(name, byName(choices, name));
            }
        }
        Set<Candidate> roots = new LinkedHashSet<>(named.values());
        roots.addAll(added);
        Set<Candidate> closure = wiredClosure(layout, deployed, added, roots, storage);
        List<Candidate> kept = deployed.stream().filter(closure::contains).collect(Collectors.toList());
        List<Candidate> pulledIn = kept.stream().filter(c -> !roots.contains(c)).collect(Collectors.toList());
        return new Result(kept, added, replaced, named, pulledIn);
    }

    /** The bundles of deploy/ that provide a type of {@link #ALWAYS_KEPT}. */
    static List<Candidate> providersOfAlwaysKept(List<Candidate> deployed) throws IOException {
        List<Candidate> providers = new ArrayList<>();
        for (Candidate candidate : deployed) {
            if (providesAlwaysKept(DeclaredTypes.of(candidate.jar()))) {
                providers.add(candidate);
            }
        }
        return providers;
    }

    /** Whether a bundle with these declared types ({@link DeclaredTypes}) provides a type of {@link #ALWAYS_KEPT}. */
    static boolean providesAlwaysKept(Map<String, Set<String>> types) {
        return ALWAYS_KEPT.entrySet().stream().anyMatch(kept -> types.getOrDefault(kept.getKey(), Set.of())
                .contains(kept.getValue()));
    }

    private static Candidate byName(List<Candidate> deployed, String name) throws UsageException {
        List<Candidate> matches = deployed.stream().filter(c -> c.names().contains(name)).collect(Collectors.toList());
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new UsageException("dist: no plugin '" + name + "' in deploy/; the plugins there: "
                    + deployed.stream().filter(Candidate::isPlugin)
                            .map(c -> c.symbolicName().substring("org.sluice.".length()))
                            .collect(Collectors.joining(", ")));
        }
        throw new UsageException("dist: '" + name + "' names more than one bundle ("
                + matches.stream().map(Candidate::symbolicName).collect(Collectors.joining(", "))
                + "): give the longer name");
    }

    /** The roots and every bundle of deploy/ they are wired to, directly or not. */
    private static Set<Candidate> wiredClosure(Layout layout, List<Candidate> deployed, List<Candidate> added,
            Set<Candidate> roots, Path storage) throws IOException, BundleException, InterruptedException {
        MessageCollector messages = new MessageCollector();
        Map<String, Object> properties = FrameworkProperties.forResolving(storage, System.getProperties(), messages);
        Felix framework = new Felix(properties);
        framework.init();
        try {
            // The kernel's jars, wherever bundle/ keeps them (bundle/N/ by start level).
            for (KernelBundle kernelBundle : KernelBundle.in(layout.bundles())) {
                framework.getBundleContext().installBundle(kernelBundle.jar().toUri().toString());
            }
            Map<Long, Candidate> byBundle = new HashMap<>();
            Map<Candidate, Bundle> bundles = new LinkedHashMap<>();
            List<Candidate> all = new ArrayList<>(deployed);
            all.addAll(added);
            for (Candidate candidate : all) {
                Bundle bundle = framework.getBundleContext().installBundle(candidate.jar().toUri().toString());
                byBundle.put(bundle.getBundleId(), candidate);
                bundles.put(candidate, bundle);
            }
            framework.adapt(FrameworkWiring.class).resolveBundles(null);
            List<String> unresolved = new ArrayList<>();
            for (Candidate root : roots) {
                if (bundles.get(root).getState() == Bundle.INSTALLED) {
                    unresolved.add(root.symbolicName() + " " + root.version());
                }
            }
            if (!unresolved.isEmpty()) {
                throw new BundleException("These bundles do not resolve against bundle/ and deploy/, so the "
                        + "distribution could not run them: " + String.join(", ", unresolved)
                        + messages.text());
            }
            Set<Candidate> closure = new LinkedHashSet<>();
            Deque<Candidate> toVisit = new ArrayDeque<>(roots);
            while (!toVisit.isEmpty()) {
                Candidate candidate = toVisit.pop();
                if (!closure.add(candidate)) {
                    continue;
                }
                BundleWiring wiring = bundles.get(candidate).adapt(BundleWiring.class);
                if (wiring == null) {
                    continue;
                }
                for (BundleWire wire : wiring.getRequiredWires(null)) {
                    Candidate provider = byBundle.get(wire.getProvider().getBundle().getBundleId());
                    if (provider != null && !closure.contains(provider)) {
                        toVisit.push(provider);
                    }
                }
            }
            return closure;
        } finally {
            framework.stop();
            framework.waitForStop(30_000);
        }
    }

    private static Optional<Candidate> candidate(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String name = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            if (name == null) {
                return Optional.empty();
            }
            String version = manifest.getMainAttributes().getValue(Constants.BUNDLE_VERSION);
            return Optional.of(new Candidate(jar, name.split(";")[0].trim(), version == null ? "0.0.0" : version.trim()));
        }
    }

    /** Felix's warnings while resolving (why a bundle does not resolve), to quote when one does not. */
    static final class MessageCollector extends Logger {
        private final Set<String> messages = new TreeSet<>();

        @Override
        @SuppressWarnings("rawtypes") // Felix's signature
        protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
            if (level <= LOG_WARNING) {
                messages.add((bundle == null ? "" : bundle.getSymbolicName() + ": ") + msg
                        + (throwable == null ? "" : ": " + throwable.getMessage()));
            }
        }

        String text() {
            return messages.isEmpty() ? "" : "\n  " + String.join("\n  ", messages);
        }
    }
}
