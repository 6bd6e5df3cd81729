package org.sluice.platform.runtime;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.interceptor.InterceptorFactory;
import org.sluice.api.selector.ChannelSelectorFactory;
import org.sluice.platform.config.AgentDefinition;
import org.sluice.platform.config.ComponentDefinition;
import org.sluice.platform.config.Environment;
import org.sluice.platform.config.FlumeConfigParser;
import org.sluice.platform.config.LaunchSettings;
import org.sluice.platform.config.OneShotCommand;
import org.sluice.platform.config.PropertiesFileBridge;
import org.sluice.platform.configtest.ConfigTestSuite;
import org.sluice.platform.configtest.Differences;
import org.sluice.platform.configtest.RoutedEvent;

/**
 * {@code sluice.mode=test}: runs the configuration test suites of {@code sluice.test.suites} with the installed
 * interceptor and channel selector plugins, prints PASS or FAIL per test with the differences, and answers the
 * number of tests that failed or could not run. Published as a {@code Callable<Integer>} with
 * {@code sluice.command=test}; the launcher calls it and exits 1 unless it answers 0.
 *
 * <p>Plugin bundles register their factories while the framework starts, so it first waits (at most
 * {@value #MAX_WAIT_MILLIS} ms) until none has come or gone for {@value #QUIET_MILLIS} ms.
 */
@Component(immediate = true, service = {})
public final class ConfigTestCommand implements Callable<Integer> {
    static final long MAX_WAIT_MILLIS = 5_000;
    static final long QUIET_MILLIS = 1_000;

    private final ProviderRegistry registry = new ProviderRegistry();
    private volatile long lastChangeMillis = System.currentTimeMillis();
    private final OneShotCommand registration = new OneShotCommand();
    private BundleContext context;

    @Activate
    void activate(BundleContext bundleContext) {
        context = bundleContext;
        registration.registerIfStartedFor(bundleContext, LaunchSettings.MODE_TEST, this);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindInterceptorFactory(InterceptorFactory factory, ServiceReference<InterceptorFactory> reference) {
        registry.add(ComponentKind.INTERCEPTOR, Provider.of(factory, reference));
        lastChangeMillis = System.currentTimeMillis();
    }

    void unbindInterceptorFactory(ServiceReference<InterceptorFactory> reference) {
        registry.remove(ComponentKind.INTERCEPTOR, Provider.serviceId(reference));
        lastChangeMillis = System.currentTimeMillis();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindChannelSelectorFactory(ChannelSelectorFactory factory,
            ServiceReference<ChannelSelectorFactory> reference) {
        registry.add(ComponentKind.CHANNEL_SELECTOR, Provider.of(factory, reference));
        lastChangeMillis = System.currentTimeMillis();
    }

    void unbindChannelSelectorFactory(ServiceReference<ChannelSelectorFactory> reference) {
        registry.remove(ComponentKind.CHANNEL_SELECTOR, Provider.serviceId(reference));
        lastChangeMillis = System.currentTimeMillis();
    }

    /** Runs every suite; returns how many tests failed or could not run (0: all passed). */
    @Override
    public Integer call() throws InterruptedException, IOException {
        awaitSettled();
        String suites = context.getProperty(LaunchSettings.TEST_SUITES);
        if (suites == null || suites.isBlank()) {
            System.out.println("ERROR no test suites given (" + LaunchSettings.TEST_SUITES + ")");
            return 1;
        }
        LaunchSettings settings = LaunchSettings.read(context::getProperty);
        Path dataRoot = Files.createTempDirectory("sluice-test");
        try {
            Totals totals = new Totals();
            for (String suite : suites.split(File.pathSeparator)) {
                runSuite(Path.of(suite), settings, dataRoot, totals, System.out);
            }
            System.out.println(totals.summary());
            System.out.flush();
            return totals.failed + totals.errors;
        } finally {
            deleteRecursively(dataRoot);
        }
    }

    private void runSuite(Path file, LaunchSettings settings, Path dataRoot, Totals totals, PrintStream out)
            throws IOException {
        ConfigTestSuite suite;
        try {
            suite = ConfigTestSuite.read(file);
        } catch (ConfigTestSuite.SuiteException e) {
            out.println("ERROR " + e.getMessage());
            totals.errors++;
            return;
        }
        // -f/-u and -n of the command line, if given, stand for the suite's own config and agent.
        boolean sourcesGiven = !settings.sources().isEmpty();
        Optional<String> config = sourcesGiven ? Optional.of(String.join(" + ", settings.sources()))
                : suite.config().map(Path::toString);
        Optional<String> agent = Optional.ofNullable(settings.agent()).or(suite::agent);
        if (config.isEmpty() || agent.isEmpty()) {
            out.println("ERROR " + file + ": no " + (config.isEmpty() ? "config" : "agent") + " (keys config and agent,"
                    + " or -f and -n)");
            totals.errors += suite.tests().size();
            return;
        }
        out.println("suite " + file + ": agent " + agent.get() + " of " + config.get());
        FlumeConfigParser parser = FlumeConfigParser.forEnvironment(Environment.withProperties(context::getProperty))
                .forValidation(false);
        AgentDefinition definition;
        try {
            definition = sourcesGiven
                    ? parser.parse(PropertiesFileBridge.readOnce(settings, context::getProperty), agent.get())
                    : parser.parse(suite.config().get(), agent.get());
        } catch (GeneralSecurityException e) {
            out.println("ERROR " + config.get() + ": " + e.getMessage());
            totals.errors += suite.tests().size();
            return;
        }
        if (definition.errorCount() > 0) {
            definition.problems().stream().filter(p -> p.isError()).forEach(p -> out.println("ERROR " + p));
            out.println("ERROR " + config.get() + " has errors: its tests are not run");
            totals.errors += suite.tests().size();
            return;
        }
        for (ConfigTestSuite.ConfigTest test : suite.tests()) {
            runTest(test, definition, dataRoot, totals, out);
        }
    }

    private void runTest(ConfigTestSuite.ConfigTest test, AgentDefinition definition, Path dataRoot, Totals totals,
            PrintStream out) {
        Map<String, ComponentDefinition> sources = definition.sources();
        String source = test.source().orElse(sources.size() == 1 ? sources.keySet().iterator().next() : null);
        if (source == null || !sources.containsKey(source)) {
            out.println("  ERROR " + test.name() + ": " + (source == null ? "the agent has " + sources.size()
                    + " sources: name one with test." + test.name() + ".source" : "agent " + definition.agent()
                    + " has no source '" + source + "' (it has " + String.join(", ", sources.keySet()) + ")"));
            totals.errors++;
            return;
        }
        List<RoutedEvent> routed;
        try (SourcePipeline pipeline = SourcePipeline.build(registry, definition.agent(), source,
                sources.get(source).properties(), dataRoot)) {
            routed = pipeline.route(test.input());
        } catch (SourcePipeline.BuildException e) {
            out.println("  ERROR " + test.name() + ": " + e.getMessage());
            totals.errors++;
            return;
        } catch (RuntimeException e) {
            out.println("  ERROR " + test.name() + ": an interceptor or the selector of source " + source
                    + " failed: " + e);
            totals.errors++;
            return;
        }
        List<String> differences = Differences.between(test, routed);
        if (differences.isEmpty()) {
            out.println("  PASS  " + test.name());
            totals.passed++;
        } else {
            out.println("  FAIL  " + test.name() + " (source " + source + ")");
            differences.forEach(line -> out.println("        " + line));
            totals.failed++;
        }
    }

    private void awaitSettled() throws InterruptedException {
        long deadline = System.currentTimeMillis() + MAX_WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            boolean started = context.getBundle(0).getState() == Bundle.ACTIVE;
            if (started && System.currentTimeMillis() - lastChangeMillis >= QUIET_MILLIS) {
                return;
            }
            Thread.sleep(100);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static final class Totals {
        int passed;
        int failed;
        int errors;

        String summary() {
            int total = passed + failed + errors;
            return total + " test" + (total == 1 ? "" : "s") + ": " + passed + " passed, " + failed + " failed"
                    + (errors == 0 ? "" : ", " + errors + " could not run");
        }
    }
}
