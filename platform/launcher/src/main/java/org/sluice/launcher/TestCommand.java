package org.sluice.launcher;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code sluice test SUITE...}: starts a one-off kernel with the plugins of deploy/ in test mode (no agent runs) and
 * has the platform run the configuration test suites; exits 0 if every test passed, 1 otherwise. The platform
 * prints the results. -f/-u and -n, when given, stand for each suite's own configuration and agent.
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
        Optional<Path> missing = AgentCommand.missingFile(invocation.configuration());
        if (missing.isPresent()) {
            System.out.println("The configuration file " + missing.get() + " does not exist");
            return Main.EXIT_FAILURE;
        }
        // The same time limit as validate: the same kind of kernel, started for one answer.
        long timeoutSeconds = PropertyValues.positiveLong(system, ValidateCommand.TIMEOUT_PROPERTY, 30);
        Map<String, Object> properties = FrameworkProperties.forCommand(layout, invocation,
                invocation.configuration().sourcesInMergeOrder(), system, FrameworkProperties.MODE_TEST);
        return OneShotKernel.call(layout, properties, FrameworkProperties.MODE_TEST, timeoutSeconds,
                ValidateCommand.TIMEOUT_PROPERTY, failures -> failures == 0 ? Main.EXIT_OK : Main.EXIT_FAILURE,
                System.out);
    }
}
