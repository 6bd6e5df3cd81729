package org.sluice.platform.config;

import java.util.List;

/**
 * What one reading of an agent's configuration changed in Config Admin. Names are properties-file prefixes:
 * {@code a1} for the agent, {@code a1.sources.r1} for a component.
 *
 * @param agent    the agent
 * @param origin   where the configuration was read from: a file, or several files and URIs merged
 * @param added    configurations created
 * @param updated  configurations whose properties changed
 * @param removed  configurations deleted because the configuration no longer defines them
 * @param problems everything wrong in the configuration (and configurations it could not write)
 */
public record ReloadSummary(String agent, String origin, List<String> added, List<String> updated,
        List<String> removed, List<Problem> problems) {

    public ReloadSummary {
        added = List.copyOf(added);
        updated = List.copyOf(updated);
        removed = List.copyOf(removed);
        problems = List.copyOf(problems);
    }

    public boolean changed() {
        return !added.isEmpty() || !updated.isEmpty() || !removed.isEmpty();
    }

    public long errorCount() {
        return problems.stream().filter(Problem::isError).count();
    }

    /** One line: {@code agent a1 from /etc/flume.conf: 1 added, 2 updated, 0 removed; 1 error, 0 warnings}. */
    public String headline() {
        long errors = errorCount();
        long warnings = problems.size() - errors;
        return "agent " + agent + " from " + origin + ": " + added.size() + " added, " + updated.size() + " updated, "
                + removed.size() + " removed; " + errors + (errors == 1 ? " error, " : " errors, ") + warnings
                + (warnings == 1 ? " warning" : " warnings");
    }

    /** The headline, then one line per change and per problem. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(headline());
        added.forEach(name -> out.append(System.lineSeparator()).append("  added   ").append(name));
        updated.forEach(name -> out.append(System.lineSeparator()).append("  updated ").append(name));
        removed.forEach(name -> out.append(System.lineSeparator()).append("  removed ").append(name));
        problems.forEach(problem -> out.append(System.lineSeparator()).append("  ").append(problem));
        return out.toString();
    }
}
