package org.sluice.platform.shell;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.sluice.platform.config.ConfigFileBridge;
import org.sluice.platform.config.ConfigText;
import org.sluice.platform.config.ConfigValidator;
import org.sluice.platform.config.Environment;
import org.sluice.platform.config.FlumeConfigParser;
import org.sluice.platform.config.Problem;
import org.sluice.platform.config.TypeCatalog;

/**
 * The Gogo commands about the properties file: {@code sluice:reload} reads the agent's file again now and
 * says what changed; {@code sluice:validate} checks a file against the installed component types without
 * applying it.
 *
 * <p>The file bridge exists only when the agent was started with a file ({@code --conf-file}), and the type
 * catalog only while the runtime runs, so both are optional: the commands say what they cannot do.
 */
@Component(service = ConfigCommands.class, property = {
    "osgi.command.scope=sluice",
    "osgi.command.function=reload",
    "osgi.command.function=validate"
})
public final class ConfigCommands {

    static final String USAGE = "Usage: sluice:validate [--resolve-filters] <file> <agent>, or sluice:validate -f <file>"
            + " -n <agent> (also --conf-file and --name); without arguments, the running agent's file. External config"
            + " filters run their commands only with --resolve-filters";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigFileBridge bridge;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TypeCatalog catalog;

    private final Function<String, String> properties;

    @Activate
    public ConfigCommands(BundleContext context) {
        // ${sys:X} in a validated file reads framework properties, as the running agent's does.
        this.properties = context::getProperty;
    }

    ConfigCommands(Function<String, String> properties, ConfigFileBridge bridge, TypeCatalog catalog) {
        this.properties = properties;
        this.bridge = bridge;
        this.catalog = catalog;
    }

    /** {@code sluice:reload}: applies the agent's properties file now; prints what was added, updated, removed. */
    public String reload() {
        ConfigFileBridge current = bridge;
        if (current == null) {
            return "No properties file to reload: the agent was not started with one (--conf-file and --name);"
                    + " its configuration is in Config Admin.";
        }
        return current.reload().toString();
    }

    /** {@code sluice:validate}: the running agent's configuration, as it is now. */
    public String validate() {
        ConfigFileBridge current = bridge;
        if (current == null) {
            return "No running agent was read from a file. " + USAGE;
        }
        return check(current.origin(), current.agent(), current::read, false);
    }

    /** {@code sluice:validate <file> <agent>}. */
    public String validate(String file, String agent) {
        return validate(new String[] {file, agent});
    }

    /** {@code sluice:validate -f <file> <agent>} and the like. */
    public String validate(String a, String b, String c) {
        return validate(new String[] {a, b, c});
    }

    /** {@code sluice:validate -f <file> -n <agent>}. */
    public String validate(String a, String b, String c, String d) {
        return validate(new String[] {a, b, c, d});
    }

    private String validate(String[] arguments) {
        ValidateArguments parsed;
        try {
            parsed = ValidateArguments.parse(List.of(arguments));
        } catch (IllegalArgumentException e) {
            return e.getMessage() + System.lineSeparator() + USAGE;
        }
        Path file = Path.of(parsed.file()).toAbsolutePath();
        return check(file.toString(), parsed.agent(), () -> List.of(ConfigText.read(file)), parsed.resolveFilters());
    }

    /** {@code sluice:validate --resolve-filters <file> <agent>} and the like, with one more argument. */
    public String validate(String a, String b, String c, String d, String e) {
        return validate(new String[] {a, b, c, d, e});
    }

    /** Reads a configuration's texts. */
    @FunctionalInterface
    private interface Reading {
        List<ConfigText> read() throws IOException;
    }

    private String check(String origin, String agent, Reading reading, boolean resolveFilters) {
        TypeCatalog types = catalog;
        List<Problem> problems = new ArrayList<>();
        try {
            problems.addAll(new ConfigValidator(FlumeConfigParser.forEnvironment(Environment.withProperties(properties))
                    .forValidation(resolveFilters)).validate(reading.read(), agent, types));
        } catch (NoSuchFileException e) {
            problems.add(Problem.agentError(agent, null, "cannot read " + origin + ": no such file"));
        } catch (IOException e) {
            problems.add(Problem.agentError(agent, null, "cannot read " + origin + ": " + e.getMessage()));
        }
        if (types == null) {
            problems.add(Problem.agentWarning(agent, null,
                    "component types were not checked: the runtime's type catalog is not available"));
        }
        StringBuilder out = new StringBuilder();
        problems.forEach(problem -> out.append(problem).append(System.lineSeparator()));
        return out.append(ConfigValidator.summary(agent, origin, problems)).toString();
    }
}
