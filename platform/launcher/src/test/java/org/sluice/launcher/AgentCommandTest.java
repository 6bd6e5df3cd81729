package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import java.util.function.Predicate;

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

    @Test
    void theZooKeeperClientIsInstalledOnlyForAnAgentConfiguredFromZooKeeper() throws UsageException {
        Predicate<String> fromFile = AgentCommand.leftOut(
                CommandLine.parse("agent", "-n", "a1", "-f", "a1.conf").configuration());
        assertTrue(fromFile.test("org.sluice.config.zookeeper"));
        assertFalse(fromFile.test("org.sluice.platform"));
        assertFalse(fromFile.test(StartLevels.FILE_INSTALL_BSN));

        Predicate<String> fromZooKeeper = AgentCommand.leftOut(
                CommandLine.parse("agent", "-n", "a1", "-z", "127.0.0.1:2181", "-p", "/fleet").configuration());
        assertFalse(fromZooKeeper.test("org.sluice.config.zookeeper"));
        assertFalse(fromZooKeeper.test("org.sluice.platform"));
    }
}
