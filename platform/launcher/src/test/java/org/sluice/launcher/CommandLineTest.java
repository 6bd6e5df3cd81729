package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {

    @Test
    void agentWithoutAFileRunsTheEmbeddedDefaultAgentA1() throws UsageException {
        Invocation invocation = CommandLine.parse("agent");
        assertEquals(Command.AGENT, invocation.command());
        assertTrue(invocation.usesEmbeddedDefault());
        assertEquals("a1", invocation.agentName());
        assertTrue(invocation.configuration().reload(), "Flume reloads its configuration by default");
        assertEquals(30, invocation.configuration().effectivePollIntervalSeconds(), "Flume polls every 30 s");
        assertTrue(invocation.shellRequested());
        assertEquals(Optional.empty(), invocation.confDir());
    }

    @Test
    void readsFlumesShortOptions() throws UsageException {
        Invocation invocation = CommandLine.parse("agent", "-n", "agent7", "-c", "conf", "-f", "conf/flume.conf");
        assertEquals(List.of(Path.of("conf/flume.conf")), invocation.configuration().files());
        assertEquals("agent7", invocation.agentName());
        assertEquals(Optional.of(Path.of("conf")), invocation.confDir());
        assertFalse(invocation.usesEmbeddedDefault());
    }

    @Test
    void readsLongOptionsWithASpaceOrAnEqualsSign() throws UsageException {
        Invocation spaced = CommandLine.parse("agent", "--name", "a2", "--conf-file", "x.properties", "--conf", "c");
        Invocation joined = CommandLine.parse("agent", "--name=a2", "--conf-file=x.properties", "--conf=c");
        assertEquals(spaced, joined);
        assertEquals("a2", joined.agentName());
        assertEquals(List.of(Path.of("x.properties")), joined.configuration().files());
    }

    @Test
    void reloadAndPollIntervalAndShellCanBeTurned() throws UsageException {
        Invocation invocation = CommandLine.parse("agent", "--no-reload-conf", "--conf-poll-interval", "5",
                "--no-shell");
        assertFalse(invocation.configuration().reload());
        assertEquals(5, invocation.configuration().pollIntervalSeconds());
        assertFalse(invocation.shellRequested());
        assertEquals(7, CommandLine.parse("agent", "--conf-poll-interval=7").configuration().pollIntervalSeconds());
        assertEquals(8, CommandLine.parse("agent", "-i", "8").configuration().pollIntervalSeconds(), "Flume's -i");
        assertEquals(9, CommandLine.parse("agent", "--poll-interval=9").configuration().pollIntervalSeconds());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3", "ten", "1.5", ""})
    void refusesAPollIntervalThatIsNotAPositiveWholeNumber(String value) {
        UsageException e = assertThrows(UsageException.class,
                () -> CommandLine.parse("agent", "--conf-poll-interval", value));
        assertTrue(e.getMessage().contains("--conf-poll-interval"), e.getMessage());
    }

    @Test
    void aFileWithoutAnAgentNameIsRefusedAsFlumeDoes() {
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse("agent", "-f", "flume.conf"));
        assertTrue(e.getMessage().startsWith("Missing required option: n"), e.getMessage());
    }

    @Test
    void theEmbeddedDefaultHasNoOtherAgentThanA1() throws UsageException {
        assertEquals("a1", CommandLine.parse("agent", "-n", "a1").agentName());
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse("agent", "-n", "other"));
        assertTrue(e.getMessage().contains("'other'"), e.getMessage());
    }

    @Test
    void collectsSystemPropertyDefinitions() throws UsageException {
        Invocation invocation = CommandLine.parse("agent", "-Dflume.monitoring.type=http",
                "-Dflume.monitoring.port=41414", "-Dflag", "-Dexpr=a=b");
        assertEquals(Map.of("flume.monitoring.type", "http", "flume.monitoring.port", "41414", "flag", "",
                "expr", "a=b"), invocation.definitions());
        assertThrows(UsageException.class, () -> CommandLine.parse("agent", "-D=value"));
    }

    @Test
    void validateNeedsAFileAndAnAgent() throws UsageException {
        Invocation invocation = CommandLine.parse("validate", "-f", "a.properties", "-n", "a1");
        assertEquals(Command.VALIDATE, invocation.command());
        assertEquals(List.of(Path.of("a.properties")), invocation.configuration().files());
        assertThrows(UsageException.class, () -> CommandLine.parse("validate"));
        assertThrows(UsageException.class, () -> CommandLine.parse("validate", "-n", "a1"));
        assertThrows(UsageException.class, () -> CommandLine.parse("validate", "-f", "a.properties"));
        assertThrows(UsageException.class, () -> CommandLine.parse("validate", "-f", "a", "-n", "a1", "--no-shell"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-f", "-n", "-c", "--conf-file", "--name", "--conf", "--conf-poll-interval"})
    void anOptionMissingItsValueIsNamed(String option) {
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse("agent", option));
        assertTrue(e.getMessage().contains(option), e.getMessage());
    }

    @Test
    void unknownAndUnsupportedOptionsAreRefusedByName() {
        UsageException unknown = assertThrows(UsageException.class, () -> CommandLine.parse("agent", "--bogus"));
        assertTrue(unknown.getMessage().contains("--bogus"), unknown.getMessage());
        UsageException provider = assertThrows(UsageException.class,
                () -> CommandLine.parse("agent", "--conf-provider", "com.example.Provider", "-n", "a1"));
        assertTrue(provider.getMessage().contains("not supported"), provider.getMessage());
        UsageException stray = assertThrows(UsageException.class, () -> CommandLine.parse("agent", "extra"));
        assertTrue(stray.getMessage().contains("'extra'"), stray.getMessage());
        assertThrows(UsageException.class, () -> CommandLine.parse("agent", "--no-reload-conf=yes"));
    }

    @Test
    void readsFlumesZooKeeperOptions() throws UsageException {
        Invocation shortOptions = CommandLine.parse("agent", "-z", "zk1:2181,zk2:2181", "-p", "/agents", "-n", "a3");
        Invocation longOptions = CommandLine.parse("agent", "--zkConnString=zk1:2181,zk2:2181", "--zkBasePath",
                "/agents", "--name", "a3");
        assertEquals(shortOptions, longOptions);
        ConfigurationOptions configuration = shortOptions.configuration();
        assertTrue(configuration.fromZooKeeper());
        assertEquals(Optional.of("zk1:2181,zk2:2181"), configuration.zooKeeper());
        assertEquals(Optional.of("/agents"), configuration.zooKeeperBasePath());
        assertFalse(shortOptions.usesEmbeddedDefault(), "-z is a configuration: the embedded default does not run");
        assertEquals("zookeeper://zk1:2181,zk2:2181/agents/a3", configuration.describe("a3"));
        assertEquals("zookeeper://zk:2181/flume/a1",
                CommandLine.parse("agent", "-z", "zk:2181", "-n", "a1").configuration().describe("a1"),
                "Flume's base path is /flume");
    }

    @Test
    void zooKeeperOptionsNeedAnAgentAndEachOther() {
        UsageException noAgent = assertThrows(UsageException.class, () -> CommandLine.parse("agent", "-z", "zk:2181"));
        assertTrue(noAgent.getMessage().startsWith("Missing required option: n"), noAgent.getMessage());
        UsageException noConnectString = assertThrows(UsageException.class,
                () -> CommandLine.parse("agent", "-p", "/flume", "-n", "a1"));
        assertTrue(noConnectString.getMessage().contains("needs -z"), noConnectString.getMessage());
        UsageException relative = assertThrows(UsageException.class,
                () -> CommandLine.parse("agent", "-z", "zk:2181", "-p", "flume", "-n", "a1"));
        assertTrue(relative.getMessage().contains("starts with '/'"), relative.getMessage());
        UsageException validate = assertThrows(UsageException.class,
                () -> CommandLine.parse("validate", "-z", "zk:2181", "-n", "a1"));
        assertTrue(validate.getMessage().contains("not ZooKeeper"), validate.getMessage());
    }

    @Test
    void severalFilesAndUrisAreKeptInOrderAndUrisMergeFirst() throws UsageException {
        Invocation invocation = CommandLine.parse("agent", "-n", "a1", "-f", "base.conf", "--conf-file=override.conf",
                "-u", "http://127.0.0.1:8080/flume.conf", "--conf-uri", "classpath://example.conf");

        assertEquals(List.of(Path.of("base.conf"), Path.of("override.conf")), invocation.configuration().files());
        assertEquals(List.of("http://127.0.0.1:8080/flume.conf", "classpath://example.conf"),
                invocation.configuration().uris());
        assertEquals(List.of("http://127.0.0.1:8080/flume.conf", "classpath://example.conf",
                Path.of("base.conf").toAbsolutePath().toString(), Path.of("override.conf").toAbsolutePath().toString()),
                invocation.configuration().sourcesInMergeOrder());
        assertEquals(300, invocation.configuration().effectivePollIntervalSeconds(), "Flume polls HTTP every 300 s");
    }

    @Test
    void readsFlumesUriCredentialsAndBackupOptionsInTheirShortAndLongForms() throws UsageException {
        Invocation shortForms = CommandLine.parse("agent", "-n", "a1", "-u", "https://h/f.conf", "-user", "flume",
                "-pwd", "s3cret", "-b", "backups");
        Invocation longForms = CommandLine.parse("agent", "-n", "a1", "-u", "https://h/f.conf", "--conf-user=flume",
                "--conf-password=s3cret", "--backup-directory", "backups");

        assertEquals(shortForms, longForms);
        assertEquals(Optional.of("flume"), longForms.configuration().user());
        assertEquals(Optional.of("s3cret"), longForms.configuration().password());
        assertEquals(Optional.of(Path.of("backups")), longForms.configuration().backupDirectory());
        assertFalse(longForms.configuration().toString().contains("s3cret"));
    }

    @Test
    void aSingleValuedOptionGivenTwiceWithDifferentValuesIsRefusedNotDropped() throws UsageException {
        UsageException names = assertThrows(UsageException.class,
                () -> CommandLine.parse("agent", "-f", "a.conf", "-n", "a1", "--name", "a2"));
        assertTrue(names.getMessage().contains("'a1'") && names.getMessage().contains("'a2'"), names.getMessage());
        UsageException passwords = assertThrows(UsageException.class, () -> CommandLine.parse("agent", "-u",
                "http://h/f", "-n", "a1", "--conf-password", "one", "-pwd", "two"));
        assertFalse(passwords.getMessage().contains("one") || passwords.getMessage().contains("two"),
                passwords.getMessage());
        assertEquals("a1", CommandLine.parse("agent", "-f", "a.conf", "-n", "a1", "-n", "a1").agentName(),
                "the same value twice drops nothing");
    }

    @Test
    void aUriOfAnotherSchemeIsRefusedAsFlumeWouldSkipIt() {
        UsageException e = assertThrows(UsageException.class,
                () -> CommandLine.parse("agent", "-n", "a1", "-u", "ftp://host/flume.conf"));
        assertTrue(e.getMessage().contains("ftp://host/flume.conf"), e.getMessage());
        assertThrows(UsageException.class, () -> CommandLine.parse("agent", "-n", "a1", "-u", "flume.conf"));
    }

    @Test
    void flumesProviderClassesAreRefusedWithTheReason() {
        UsageException auth = assertThrows(UsageException.class,
                () -> CommandLine.parse("agent", "-n", "a1", "-u", "http://h/f", "--auth-provider", "com.example.Auth"));
        assertTrue(auth.getMessage().contains("--conf-user"), auth.getMessage());
        assertThrows(UsageException.class, () -> CommandLine.parse("agent", "-n", "a1", "-prov", "com.example.P"));
    }

    @Test
    void helpForTheToolAndForACommand() throws UsageException {
        assertEquals(Invocation.help(Optional.empty()), CommandLine.parse("help"));
        assertEquals(Invocation.help(Optional.empty()), CommandLine.parse("--help"));
        assertEquals(Invocation.help(Optional.of(Command.AGENT)), CommandLine.parse("help", "agent"));
        assertEquals(Invocation.help(Optional.of(Command.AGENT)), CommandLine.parse("agent", "-f", "x", "-h"));
        assertEquals(Invocation.help(Optional.of(Command.VALIDATE)), CommandLine.parse("validate", "--help"));
    }

    @Test
    void daemonCommandsBelongToTheScriptAndOtherWordsAreUnknown() {
        for (String word : new String[] {"start", "stop", "status"}) {
            UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse(word));
            assertTrue(e.getMessage().contains("bin/sluice " + word), e.getMessage());
        }
        assertThrows(UsageException.class, () -> CommandLine.parse());
        assertThrows(UsageException.class, () -> CommandLine.parse("run"));
    }

    @Test
    void testTakesSuitesAndOptionallyTheConfigurationAndAgentTheyStandFor() throws UsageException {
        Invocation invocation = CommandLine.parse("test", "a.tests.properties", "-f", "my.conf", "-n", "a2",
                "b.tests.properties", "-Dk=v");
        assertEquals(Command.TEST, invocation.command());
        assertEquals(List.of(Path.of("my.conf")), invocation.configuration().files());
        assertEquals("a2", invocation.agentName());
        assertEquals(Path.of("a.tests.properties").toAbsolutePath() + java.io.File.pathSeparator
                + Path.of("b.tests.properties").toAbsolutePath(), invocation.definitions().get(CommandLine.TEST_SUITES));
        assertEquals("v", invocation.definitions().get("k"));
        assertTrue(CommandLine.parse("test", "s").configuration().isEmpty(), "the suite names its configuration");
        assertNull(CommandLine.parse("test", "s").agentName(), "the suite names its agent");
        assertEquals(List.of("file:/etc/a.conf"), CommandLine.parse("test", "-u", "file:/etc/a.conf", "-f", "b.conf",
                "-f", "c.conf", "s").configuration().uris(), "several sources, as for an agent");
        assertThrows(UsageException.class, () -> CommandLine.parse("test"), "no suite");
        assertThrows(UsageException.class, () -> CommandLine.parse("test", "--bogus", "s"));
    }

    @Test
    void flumesPluginOptionsBecomeTheBridgesProperties() throws UsageException {
        Invocation invocation = CommandLine.parse("agent", "-n", "a1", "-f", "a.conf", "--plugins-path",
                "/opt/p1:/opt/p2", "-C", "/opt/x.jar:/opt/lib/*");
        assertEquals("/opt/p1:/opt/p2", invocation.definitions().get(FlumePlugins.PLUGINS_PATH));
        assertEquals("/opt/x.jar:/opt/lib/*", invocation.definitions().get(FlumePlugins.CLASS_PATH));
        Invocation longForm = CommandLine.parse("agent", "-n", "a1", "-f", "a.conf", "--classpath=/opt/y.jar",
                "--plugins-path=/opt/p3");
        assertEquals("/opt/y.jar", longForm.definitions().get(FlumePlugins.CLASS_PATH));
        assertEquals("/opt/p3", longForm.definitions().get(FlumePlugins.PLUGINS_PATH));
        UsageException missing = assertThrows(UsageException.class,
                () -> CommandLine.parse("agent", "-n", "a1", "-f", "a.conf", "--plugins-path"));
        assertTrue(missing.getMessage().contains("--plugins-path needs a value"), missing.getMessage());
    }

    @Test
    void flumeClasspathVariableFollowsTheCommandLinesClassPath() {
        java.util.Properties system = new java.util.Properties();
        FlumePlugins.apply(system, Map.of());
        assertFalse(system.containsKey(FlumePlugins.CLASS_PATH), "no class path given, none set");
        FlumePlugins.apply(system, Map.of("FLUME_CLASSPATH", "/env/a.jar"));
        assertEquals("/env/a.jar", system.getProperty(FlumePlugins.CLASS_PATH));
        system.setProperty(FlumePlugins.CLASS_PATH, "/cli/b.jar");
        FlumePlugins.apply(system, Map.of("FLUME_CLASSPATH", "/env/a.jar"));
        assertEquals("/cli/b.jar:/env/a.jar", system.getProperty(FlumePlugins.CLASS_PATH),
                "as Flume's launcher: --classpath first, then FLUME_CLASSPATH");
    }

    @Test
    void shellTakesPropertiesOnlyAndHasItsHelp() throws Exception {
        Invocation shell = CommandLine.parse("shell", "-Dsluice.data=/var/lib/sluice");
        assertEquals(Command.SHELL, shell.command());
        assertEquals(Map.of("sluice.data", "/var/lib/sluice"), shell.definitions());
        assertEquals(Optional.of(Command.SHELL), CommandLine.parse("shell", "--help").helpTopic());
        assertTrue(Usage.text(Optional.of(Command.SHELL)).contains("data/shell.token"));
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse("shell", "lb"));
        assertTrue(e.getMessage().contains("reads its commands from its input"), e.getMessage());
    }
}
