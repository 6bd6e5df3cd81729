package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.sluice.itests.osgi.support.Bundles;
import org.sluice.itests.osgi.support.SluiceOptions;
import org.sluice.platform.management.AgentRuntime;

/** The kernel the distribution ships resolves and starts, and the platform publishes its runtime. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KernelIT {

    @Inject
    private BundleContext context;

    @Inject
    private AgentRuntime runtime;

    @Configuration
    public Option[] configuration() {
        return options(SluiceOptions.kernel());
    }

    @Test
    public void everyBundleIsActive() {
        List<String> notActive = Arrays.stream(context.getBundles())
                .filter(b -> b.getState() != Bundle.ACTIVE && b.getHeaders().get("Fragment-Host") == null)
                .map(b -> b.getSymbolicName() + " " + b.getVersion() + " state " + b.getState())
                .collect(Collectors.toList());
        assertEquals("bundles not active", List.of(), notActive);
    }

    @Test
    public void theRuntimeKnowsNoAgentBeforeAnyIsConfigured() {
        assertNotNull(runtime);
        assertEquals(List.of(), runtime.agents());
    }

    /** As in the distribution, slf4j comes from the launcher's class path through the system bundle. */
    @Test
    public void thePlatformLogsThroughSlf4jExportedByTheSystemBundle() {
        Bundle platform = Bundles.installed(context, "org.sluice.platform");
        List<BundleWire> wires = platform.adapt(BundleWiring.class).getRequiredWires("osgi.wiring.package");
        BundleWire slf4j = wires.stream()
                .filter(w -> "org.slf4j".equals(w.getCapability().getAttributes().get("osgi.wiring.package")))
                .findFirst().orElseThrow(() -> new AssertionError("org.sluice.platform does not import org.slf4j"));
        assertTrue("org.slf4j is wired to " + slf4j.getProvider().getBundle().getSymbolicName(),
                slf4j.getProvider().getBundle().getBundleId() == 0);
    }
}
