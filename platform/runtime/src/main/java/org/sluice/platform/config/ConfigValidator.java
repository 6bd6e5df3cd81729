package org.sluice.platform.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.sluice.api.component.ComponentKind;

/**
 * Everything wrong with an agent of a properties file, without running it: Flume's parsing and structural
 * rules, then each usable component against the installed types ({@link ComponentCheck}). Used by
 * {@code sluice.mode=validate} and the shell's {@code sluice:validate}.
 */
public final class ConfigValidator {

    private final FlumeConfigParser parser;

    public ConfigValidator(FlumeConfigParser parser) {
        this.parser = parser;
    }

    /**
     * The problems of {@code agent} in {@code file}, in file order, then by component.
     *
     * @param catalog the installed types; null checks the structure only
     * @throws IOException when the file cannot be read
     */
    public List<Problem> validate(Path file, String agent, TypeCatalog catalog) throws IOException {
        return validate(parser.parse(file, agent), catalog);
    }

    /** The problems of {@code agent} in several texts merged in order (see {@link FlumeConfigParser}). */
    public List<Problem> validate(List<ConfigText> texts, String agent, TypeCatalog catalog) throws IOException {
        return validate(parser.parse(texts, agent), catalog);
    }

    /** The definition's problems plus those the catalog finds in its usable components (null: none). */
    public static List<Problem> validate(AgentDefinition definition, TypeCatalog catalog) {
        List<Problem> problems = new ArrayList<>(definition.problems());
        if (catalog != null) {
            for (ComponentKind kind : List.of(ComponentKind.SOURCE, ComponentKind.CHANNEL, ComponentKind.SINK,
                    ComponentKind.SINKGROUP)) {
                for (ComponentDefinition component : definition.components(kind).values()) {
                    problems.addAll(ComponentCheck.checkTypes(definition.agent(), kind, component.name(),
                            component.properties(), catalog));
                }
            }
        }
        return problems;
    }

    /** {@code agent a1 in /etc/flume.conf: 2 errors, 1 warning} or {@code ...: no problems}. */
    public static String summary(String agent, Path file, List<Problem> problems) {
        return summary(agent, file.toString(), problems);
    }

    /** As {@link #summary(String, Path, List)}, for a configuration read from several places. */
    public static String summary(String agent, String origin, List<Problem> problems) {
        long errors = problems.stream().filter(Problem::isError).count();
        long warnings = problems.size() - errors;
        String counts = problems.isEmpty() ? "no problems"
                : errors + (errors == 1 ? " error, " : " errors, ") + warnings + (warnings == 1 ? " warning" : " warnings");
        return "agent " + agent + " in " + origin + ": " + counts;
    }
}
