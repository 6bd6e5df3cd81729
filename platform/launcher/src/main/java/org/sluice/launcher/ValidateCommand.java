package org.sluice.launcher;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code sluice validate -f FILE -n AGENT}: starts a one-off kernel with every plugin of deploy/ in validate mode
 * (the platform runs nothing), calls the platform's validation service and exits with its verdict. The platform
 * prints the problems; the launcher prints only why it could not ask.
 */
final class ValidateCommand {
    /** The service the platform registers in validate mode: returns the number of errors as an Integer. */
    static final String SERVICE_FILTER = OneShotKernel.serviceFilter("validate");
    static final String TIMEOUT_PROPERTY = "sluice.validate.timeout";

    private ValidateCommand() {
    }

    static int run(Invocation invocation, Layout layout, Properties system) throws Exception {
        Optional<Path> missing = AgentCommand.missingFile(invocation.configuration());
        if (missing.isPresent()) {
            System.out.println("The configuration file " + missing.get() + " does not exist");
            return Main.EXIT_FAILURE;
        }
        long timeoutSeconds = PropertyValues.positiveLong(system, TIMEOUT_PROPERTY, 30);
        Map<String, Object> properties = FrameworkProperties.forCommand(layout, invocation,
                invocation.configuration().sourcesInMergeOrder(), system, FrameworkProperties.MODE_VALIDATE);
        return OneShotKernel.call(layout, properties, "validate", timeoutSeconds, TIMEOUT_PROPERTY,
                errors -> errors == 0 ? Main.EXIT_OK : Main.EXIT_FAILURE, System.out);
    }
}
