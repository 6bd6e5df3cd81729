package org.sluice.config.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Flume's -z and -p as the launcher hands them over: the agent's znode is BASE/AGENT, BASE /flume by default. */
class ZooKeeperSettingsTest {

    private static ZooKeeperSettings read(String connectString, String basePath, String agent) {
        Map<String, String> properties = new HashMap<>();
        properties.put(ZooKeeperSettings.CONNECT_STRING, connectString);
        properties.put(ZooKeeperSettings.BASE_PATH, basePath);
        properties.put(ZooKeeperSettings.AGENT, agent);
        return ZooKeeperSettings.read(properties::get);
    }

    @Test
    void withoutAConnectStringNothingIsReadFromZooKeeper() {
        assertNull(read(null, "/flume", "a1"));
        assertNull(read("  ", "/flume", "a1"));
    }

    @Test
    void theBasePathIsFlumesByDefault() {
        ZooKeeperSettings settings = read("zk1:2181,zk2:2181", null, "a1");
        assertEquals("/flume/a1", settings.agentPath());
        assertEquals("zookeeper://zk1:2181,zk2:2181/flume/a1", settings.location());
    }

    @Test
    void aGivenBasePathLosesTrailingSlashesAndTheRootWorks() {
        assertEquals("/agents/eu/a1", read("zk:2181", "/agents/eu/", "a1").agentPath());
        assertEquals("/a1", read("zk:2181", "/", "a1").agentPath());
    }

    @Test
    void aChrootInTheConnectStringIsZooKeepersAndStaysInTheLocation() {
        ZooKeeperSettings settings = read("zk:2181/prod", "/flume", "a1");
        assertEquals("/flume/a1", settings.agentPath());
        assertEquals("zookeeper://zk:2181/prod/flume/a1", settings.location());
    }

    @Test
    void wrongPathsAndNamesAreRefusedWithTheReason() {
        IllegalArgumentException relative = assertThrows(IllegalArgumentException.class,
                () -> read("zk:2181", "flume", "a1"));
        assertTrue(relative.getMessage().contains("starts with '/'"), relative::getMessage);
        assertThrows(IllegalArgumentException.class, () -> read("zk:2181", "/a//b", "a1"));
        IllegalArgumentException slash = assertThrows(IllegalArgumentException.class,
                () -> read("zk:2181", "/flume", "a/1"));
        assertTrue(slash.getMessage().contains("contains '/'"), slash::getMessage);
        IllegalArgumentException noAgent = assertThrows(IllegalArgumentException.class,
                () -> read("zk:2181", "/flume", null));
        assertTrue(noAgent.getMessage().contains("-n"), noAgent::getMessage);
    }
}
