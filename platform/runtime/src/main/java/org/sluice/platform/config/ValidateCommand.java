package org.sluice.platform.config;

import java.io.IOException;
import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code sluice.mode=validate}: checks {@code sluice.agent.name} of its configuration ({@link LaunchSettings}) and prints
 * every problem, one per line, then a summary line. Published as a {@code Callable<Integer>} with
 * {@code sluice.command=validate}; the launcher calls it and exits with its result, the number of errors.
 *
 * <p>Plugin bundles register their factories while the framework starts, so before checking it waits
 * (at most {@value #MAX_WAIT_MILLIS} ms) until the runtime's type catalog says no factory has come or gone for
 * {@value #QUIET_MILLIS} ms.
 */
@Component(immediate = true, service = {})
public final class ValidateCommand implements Callable<Integer> {

    static final long MAX_WAIT_MILLIS = 5_000;
    static final long QUIET_MILLIS = 1_000;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TypeCatalog catalog;

    private BundleContext context;
    private LaunchSettings settings;
    private final OneShotCommand registration = new OneShotCommand();

    @Activate
    void activate(BundleContext bundleContext) {
        settings = LaunchSettings.read(bundleContext::getProperty);
        context = bundleContext;
        registration.registerIfStartedFor(bundleContext, LaunchSettings.MODE_VALIDATE, this);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }

    /** Prints the problems and the summary; returns the number of errors. */
    @Override
    public Integer call() throws InterruptedException {
        if (!settings.hasConfiguration()) {
            System.out.println("ERROR a configuration (" + LaunchSettings.CONF_SOURCES + ": --conf-file or --conf-uri)"
                    + " and " + LaunchSettings.AGENT_NAME + " (--name) are required to validate");
            return 1;
        }
        TypeCatalog types = awaitStableCatalog();
        List<Problem> problems = new ArrayList<>();
        if (types == null) {
            problems.add(Problem.agentWarning(settings.agent(), null, "component types were not checked:"
                    + " the runtime's type catalog is not available"));
        }
        String origin = String.join(" + ", settings.sources());
        try {
            ConfigSources sources = PropertiesFileBridge.sources(settings, context::getProperty);
            origin = sources.describe();
            problems.addAll(0, new ConfigValidator(FlumeConfigParser.forEnvironment(
                    Environment.withProperties(context::getProperty)).forValidation(settings.resolveFilters()))
                    .validate(sources.read(false).texts(), settings.agent(), types));
        } catch (IOException e) {
            problems.add(0, Problem.agentError(settings.agent(), null, "cannot read the configuration: "
                    + e.getMessage()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            problems.add(0, Problem.agentError(settings.agent(), null, e.getMessage()));
        }
        return report(problems, ConfigValidator.summary(settings.agent(), origin, problems), System.out);
    }

    /** Prints each problem and the summary line; returns the number of errors. */
    static int report(List<Problem> problems, String summary, PrintStream out) {
        problems.forEach(out::println);
        out.println(summary);
        out.flush();
        return (int) problems.stream().filter(Problem::isError).count();
    }

    private TypeCatalog awaitStableCatalog() throws InterruptedException {
        long deadline = System.currentTimeMillis() + MAX_WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            TypeCatalog current = catalog;
            boolean started = context.getBundle(0).getState() == Bundle.ACTIVE;
            if (started && current != null
                    && System.currentTimeMillis() - current.lastChangeMillis() >= QUIET_MILLIS) {
                break;
            }
            Thread.sleep(100);
        }
        return catalog;
    }
}
