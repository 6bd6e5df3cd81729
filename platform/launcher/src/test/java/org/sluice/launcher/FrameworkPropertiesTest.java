package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;

class FrameworkPropertiesTest {
    @TempDir
    Path home;

    @Test
    void tellsThePlatformWhichAgentToRunAndHow() throws Exception {
        Properties system = LayoutTest.properties("sluice.home", home.toString());
        Layout layout = Layout.resolve(system, Map.of(), Optional.empty());
        Invocation invocation = CommandLine.parse("agent", "-n", "a7", "-f", "x.properties", "--no-reload-conf",
                "--conf-poll-interval", "12");

        Map<String, Object> properties = FrameworkProperties.forAgent(layout, invocation,
                invocation.configuration().sourcesInMergeOrder(), system, false);

        assertEquals(home.toString(), properties.get("sluice.home"));
        assertEquals(home.resolve("data").toString(), properties.get("sluice.data"));
        assertEquals(Path.of("x.properties").toAbsolutePath().toString(), properties.get("sluice.conf.sources"));
        assertEquals("a7", properties.get("sluice.agent.name"));
        assertEquals("false", properties.get("sluice.conf.reload"));
        assertEquals("12", properties.get("sluice.conf.poll.interval"));
        assertEquals("agent", properties.get("sluice.mode"));
    }

    @Test
    void passesEveryConfigurationSourceInMergeOrderAndTheirCredentials() throws Exception {
        Properties system = LayoutTest.properties("sluice.home", home.toString());
        Layout layout = Layout.resolve(system, Map.of(), Optional.empty());
        Invocation invocation = CommandLine.parse("agent", "-n", "a1", "-f", "override.conf", "--conf-uri",
                "https://config.example/flume.conf", "-f", "local.conf", "--conf-user", "flume", "--conf-password",
                "s3cret", "--backup-directory", "backups");

        Map<String, Object> properties = FrameworkProperties.forAgent(layout, invocation,
                invocation.configuration().sourcesInMergeOrder(), system, false);

        assertEquals(String.join("\n", "https://config.example/flume.conf",
                Path.of("override.conf").toAbsolutePath().toString(), Path.of("local.conf").toAbsolutePath().toString()),
                properties.get("sluice.conf.sources"));
        assertEquals("flume", properties.get("sluice.conf.user"));
        assertEquals("s3cret", properties.get("sluice.conf.password"));
        assertEquals(Path.of("backups").toAbsolutePath().toString(), properties.get("sluice.conf.backup.dir"));
        assertFalse(properties.containsKey("sluice.conf.poll.interval"), "the platform picks Flume's default");
    }

    @Test
    void passesZooKeeperForThePlatformAndTheZooKeeperBundle() throws Exception {
        Properties system = LayoutTest.properties("sluice.home", home.toString());
        Layout layout = Layout.resolve(system, Map.of(), Optional.empty());
        Invocation invocation = CommandLine.parse("agent", "-n", "a1", "-z", "127.0.0.1:2181", "-p", "/fleet");

        Map<String, Object> properties = FrameworkProperties.forAgent(layout, invocation, List.of(), system, false);

        assertEquals("127.0.0.1:2181", properties.get("sluice.conf.zookeeper"));
        assertEquals("/fleet", properties.get("sluice.conf.zookeeper.path"));
        assertEquals("a1", properties.get("sluice.agent.name"));
        assertNull(properties.get("sluice.conf.sources"), "-z: no file or URI is read");
        Map<String, Object> withoutZooKeeper = FrameworkProperties.forAgent(layout, CommandLine.parse("agent"),
                List.of("x.conf"), system, false);
        assertFalse(withoutZooKeeper.containsKey("sluice.conf.zookeeper"));
        assertFalse(withoutZooKeeper.containsKey("sluice.conf.zookeeper.path"));
    }

    @Test
    void setsUpFelixAndFileInstall() throws Exception {
        Properties system = LayoutTest.properties("sluice.home", home.toString());
        Layout layout = Layout.resolve(system, Map.of(), Optional.empty());
        Map<String, Object> properties = FrameworkProperties.forAgent(layout, CommandLine.parse("agent"),
                List.of(home.resolve("data/default-agent.properties").toString()), system, false);

        assertEquals(home.resolve("data/cache").toString(), properties.get(Constants.FRAMEWORK_STORAGE));
        assertEquals("onFirstInit", properties.get(Constants.FRAMEWORK_STORAGE_CLEAN));
        assertEquals("false", properties.get("felix.bootdelegation.implicit"));
        assertEquals(String.valueOf(StartLevels.PLUGINS), properties.get(Constants.FRAMEWORK_BEGINNING_STARTLEVEL),
                "no kernel bundle above the plugins");
        assertEquals(home.resolve("etc").toString(), properties.get("felix.fileinstall.dir"));
        assertEquals("true", properties.get("felix.fileinstall.noInitialDelay"));
        assertEquals("false", properties.get("felix.fileinstall.enableConfigSave"),
                "FileInstall never writes etc/: agents sharing it would read each other's half-written files");
        assertEquals("--nointeractive", properties.get("gosh.args"), "no terminal: the shell reads nothing");
        assertTrue(properties.get("felix.log.logger") instanceof FelixLogBridge);
        String extra = (String) properties.get(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA);
        assertTrue(extra.contains("org.slf4j;"), extra);
        assertTrue(extra.contains("version=\"2.0.17\""), extra);
        for (String slf4jPackage : new String[] {"org.slf4j.event;", "org.slf4j.helpers;", "org.slf4j.spi;"}) {
            assertTrue(extra.contains(slf4jPackage), slf4jPackage + " in " + extra);
        }

        Map<String, Object> interactive = FrameworkProperties.forAgent(layout, CommandLine.parse("agent"),
                List.of(home.resolve("data/default-agent.properties").toString()), system, true);
        assertEquals("", interactive.get("gosh.args"));
    }

    /** A kernel bundle above the plugins' level (the shell, in bundle/6/) must start too. */
    @Test
    void theFrameworkStartsUpToTheHighestKernelStartLevel() throws Exception {
        Files.createDirectories(home.resolve("bundle/6"));
        Files.createFile(home.resolve("bundle/6/shell.jar"));
        Properties system = LayoutTest.properties("sluice.home", home.toString());
        Layout layout = Layout.resolve(system, Map.of(), Optional.empty());

        Map<String, Object> properties = FrameworkProperties.forAgent(layout, CommandLine.parse("agent"),
                List.of(home.resolve("data/default-agent.properties").toString()), system, false);

        assertEquals("6", properties.get(Constants.FRAMEWORK_BEGINNING_STARTLEVEL));
        assertEquals(String.valueOf(StartLevels.PLUGINS), properties.get("felix.startlevel.bundle"));
    }

    @Test
    void passesFlumeAndSluicePropertiesThroughButNotOverTheCommandLine() throws Exception {
        Properties system = LayoutTest.properties("sluice.home", home.toString());
        system.setProperty("flume.monitoring.type", "http");
        system.setProperty("flume.monitoring.port", "41414");
        system.setProperty("sluice.drain.timeout", "5");
        system.setProperty("sluice.agent.name", "not-this-one");
        system.setProperty("felix.fileinstall.poll", "250");
        system.setProperty("unrelated.property", "x");
        system.setProperty(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "com.example.extra");
        Layout layout = Layout.resolve(system, Map.of(), Optional.empty());

        Map<String, Object> properties = FrameworkProperties.forAgent(layout,
                CommandLine.parse("agent", "-n", "a1", "-f", "f"), List.of(Path.of("f").toAbsolutePath().toString()),
                system, false);

        assertEquals("http", properties.get("flume.monitoring.type"));
        assertEquals("41414", properties.get("flume.monitoring.port"));
        assertEquals("5", properties.get("sluice.drain.timeout"));
        assertEquals("250", properties.get("felix.fileinstall.poll"), "a -D overrides a Felix default");
        assertEquals("a1", properties.get("sluice.agent.name"), "the command line decides the agent");
        assertFalse(properties.containsKey("unrelated.property"));
        String extra = (String) properties.get(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA);
        assertTrue(extra.contains("org.slf4j;") && extra.endsWith(",com.example.extra"), extra);
    }

    @Test
    void validationUsesItsOwnCacheAndNeitherFileInstallNorAShell() throws Exception {
        Properties system = LayoutTest.properties("sluice.home", home.toString());
        Layout layout = Layout.resolve(system, Map.of(), Optional.empty());
        Map<String, Object> properties = FrameworkProperties.forCommand(layout,
                CommandLine.parse("validate", "-n", "a1", "-f", "f"), List.of(Path.of("f").toAbsolutePath().toString()),
                system, FrameworkProperties.MODE_VALIDATE);

        assertEquals("validate", properties.get("sluice.mode"));
        assertFalse(properties.containsKey(Constants.FRAMEWORK_STORAGE), "the one-off kernel adds a cache of its own");
        assertFalse(properties.containsKey("felix.fileinstall.dir"));
        assertEquals("--nointeractive", properties.get("gosh.args"));
    }
}
