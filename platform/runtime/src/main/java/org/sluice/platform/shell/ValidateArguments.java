package org.sluice.platform.shell;

import java.util.List;

/**
 * The arguments of {@code sluice:validate}: a file and an agent, given in that order or with Flume's flags
 * ({@code -f}/{@code --conf-file}, {@code -n}/{@code --name}), which may be mixed with one positional value.
 *
 * @param file  the properties file as typed
 * @param agent the agent's name
 * @param resolveFilters {@code --resolve-filters}: run the file's external config filters
 */
record ValidateArguments(String file, String agent, boolean resolveFilters) {

    /** @throws IllegalArgumentException saying what is missing or not understood */
    static ValidateArguments parse(List<String> arguments) {
        String file = null;
        String agent = null;
        boolean resolveFilters = false;
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (argument.equals("--resolve-filters")) {
                resolveFilters = true;
                continue;
            }
            boolean fileFlag = argument.equals("-f") || argument.equals("--conf-file");
            boolean agentFlag = argument.equals("-n") || argument.equals("--name");
            if (fileFlag || agentFlag) {
                if (i + 1 >= arguments.size()) {
                    throw new IllegalArgumentException(argument + " needs a value");
                }
                String value = arguments.get(++i);
                if (fileFlag) {
                    file = once(file, value, "file");
                } else {
                    agent = once(agent, value, "agent");
                }
            } else if (argument.startsWith("-")) {
                throw new IllegalArgumentException("Unknown option " + argument);
            } else if (file == null) {
                file = argument;
            } else {
                agent = once(agent, argument, "agent");
            }
        }
        if (file == null || agent == null) {
            throw new IllegalArgumentException(file == null ? "No file given" : "No agent given");
        }
        return new ValidateArguments(file, agent, resolveFilters);
    }

    private static String once(String previous, String value, String what) {
        if (previous != null) {
            throw new IllegalArgumentException("Two " + what + "s given: " + previous + " and " + value);
        }
        return value;
    }
}
