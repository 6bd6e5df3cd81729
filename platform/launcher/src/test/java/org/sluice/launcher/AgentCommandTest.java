package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;

import org.junit.jupiter.api.Test;

class AgentCommandTest {

    @Test
    void theInteractiveShellNeedsATerminalAndNoOneSayingNo() throws UsageException {
        Invocation agent = CommandLine.parse("agent");
        Properties none = new Properties();
        assertTrue(AgentCommand.interactiveShell(agent, none, true));
        assertFalse(AgentCommand.interactiveShell(agent, none, false), "no terminal: nohup, systemd, a test");
        assertFalse(AgentCommand.interactiveShell(CommandLine.parse("agent", "--no-shell"), none, true));
        assertFalse(AgentCommand.interactiveShell(agent, LayoutTest.properties("sluice.shell", "false"), true));
    }
}
