package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** The kernel started as {@code sluice agent} starts it, without a terminal, for the remote shells' tests. */
record AgentKernel(Kernel kernel, Layout layout) {

    static AgentKernel start(Path home) throws Exception {
        Properties system = LayoutTest.properties("sluice.home", home.toString());
        Layout layout = KernelTest.installKernel(home, system);
        Kernel kernel = new Kernel(FrameworkProperties.forAgent(layout, CommandLine.parse("agent"),
                List.of(home.resolve("data/default-agent.properties").toString()), system, false));
        kernel.installKernel(layout.bundles(), name -> false);
        assertEquals(Kernel.Start.STARTED, kernel.start(1, TimeUnit.MINUTES));
        return new AgentKernel(kernel, layout);
    }

    void stop() throws Exception {
        kernel.framework().stop();
        kernel.framework().waitForStop(30_000);
    }
}
