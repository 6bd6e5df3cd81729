package org.sluice.platform.config;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * A coverage-guided fuzz target of the configuration parser (issue 15): any bytes give a definition and problems,
 * the same whether an agent or validate reads them; only a malformed unicode escape is refused, as by
 * java.util.Properties (the agent keeps its running configuration then). Validating runs no command.
 */
class ConfigParserFuzzTest {
    private final FlumeConfigParser parser = new FlumeConfigParser(Environment.of(Map.of("HOME", "/home/x"),
            Map.of("user.name", "x")), true).forValidation(false);

    @FuzzTest(maxDuration = "10m")
    void parse(byte[] file) {
        AgentDefinition definition;
        try {
            definition = parser.parse(List.of(ConfigText.decode(null, file)), "a1");
        } catch (IOException malformedEscape) {
            return;
        }
        for (ComponentDefinition component : definition.all()) {
            ComponentCheck.checkShape("a1", component.kind(), component.name(), component.properties());
        }
    }
}
