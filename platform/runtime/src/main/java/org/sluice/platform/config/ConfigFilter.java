package org.sluice.platform.config;

import java.util.Locale;
import java.util.Map;

import org.sluice.api.component.ConfigurationException;

/**
 * A Flume config filter ({@code <agent>.configfilters = f1}, {@code <agent>.configfilters.f1.type = env}):
 * supplies the value of a reference {@code ${f1['KEY']}} in any component's value.
 */
@FunctionalInterface
public interface ConfigFilter {

    /** The value for {@code key}, or null when there is none. */
    String filter(String key) throws ConfigFilterException;

    /** Why a filter could not produce a value, in words for the user. */
    class ConfigFilterException extends Exception {
        private static final long serialVersionUID = 1L;

        public ConfigFilterException(String message) {
            super(message);
        }

        public ConfigFilterException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A filter that was deliberately not run ({@code validate} runs no external command unless asked): the
     * reference stays as written, and that is a note, not an error.
     */
    final class NotRunException extends ConfigFilterException {
        private static final long serialVersionUID = 1L;

        public NotRunException(String message) {
            super(message);
        }
    }

    /** What {@code validate} uses for an {@code external} filter unless asked to run it. */
    static ConfigFilter notRun(String command) {
        return key -> {
            throw new NotRunException("validate runs no external command (" + command + ") unless asked to: "
                    + "--resolve-filters on the command line, or sluice:validate --resolve-filters in the shell");
        };
    }

    /**
     * The filter Flume makes for the {@code type} in {@code properties} (matched as Flume does: alias or
     * class name, any case).
     *
     * @param name       the filter's name ({@code f1})
     * @param properties the filter's keys ({@code type}, {@code command}, ...)
     * @throws ConfigurationException naming the filter and key when it cannot be made here
     */
    static ConfigFilter create(String agent, String name, Map<String, String> properties, Environment environment)
            throws ConfigurationException {
        return create(agent, name, properties, environment, true);
    }

    /** @param runExternal whether an {@code external} filter runs its command ({@link #notRun} if not) */
    static ConfigFilter create(String agent, String name, Map<String, String> properties, Environment environment,
            boolean runExternal) throws ConfigurationException {
        String type = properties.get(ConfigSchema.TYPE);
        if (type == null) {
            throw new ConfigurationException(agent, name, ConfigSchema.TYPE, "a config filter needs a type");
        }
        switch (type.toLowerCase(Locale.ROOT)) {
            case "env":
            case "org.apache.flume.configfilter.environmentvariableconfigfilter":
                return environment::variable;
            case "external":
            case "org.apache.flume.configfilter.externalprocessconfigfilter":
                ExternalProcessFilter external = ExternalProcessFilter.of(agent, name, properties);
                return runExternal ? external : notRun(properties.get("command").trim());
            case "hadoop":
            case "org.apache.flume.configfilter.hadoopcredentialstoreconfigfilter":
                return HadoopCredentialStoreFilter.of(agent, name, properties, environment);
            default:
                throw new ConfigurationException(agent, name, ConfigSchema.TYPE, "'" + type
                        + "' is not a config filter type Sluice knows (env, external, hadoop)");
        }
    }
}
