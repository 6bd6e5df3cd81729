package org.sluice.launcher;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * {@code sluice test SUITE...}: starts the kernel with the plugins of deploy/ in test mode (no agent runs) and
 * has the platform run the configuration test suites; exits 0 if every test passed, 1 otherwise. The platform
 * prints the results.
 */
final class TestCommand {

    private TestCommand() {
    }

    static int run(Invocation invocation, Layout layout, Properties system) throws Exception {
        for (String suite : invocation.definitions().get(CommandLine.TEST_SUITES).split(File.pathSeparator)) {
            if (!Files.isRegularFile(Path.of(suite))) {
                System.out.println("The test suite " + suite + " does not exist");
                return Main.EXIT_FAILURE;
            }
        }
        if (invocation.confFile().isPresent() && !Files.isRegularFile(invocation.confFile().get())) {
            System.out.println("The configuration file " + invocation.confFile().get() + " does not exist");
            return Main.EXIT_FAILURE;
        }
        return ValidateCommand.callPlatform(layout, system, FrameworkProperties.MODE_TEST,
                storage -> FrameworkProperties.forTest(layout, invocation, system, storage));
    }
}
