package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoggingSetupTest {
    @TempDir
    Path home;

    @Test
    void usesTheLog4jConfigurationOfTheConfDirectoryFirst() throws IOException {
        Path confDir = Files.createDirectories(home.resolve("other"));
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/log4j2.xml"), "<Configuration/>");
        Properties system = LayoutTest.properties("sluice.home", home.toString());

        LoggingSetup.configure(Layout.resolve(system, Map.of(), Optional.of(confDir)), system, false);
        assertEquals(home.resolve("conf/log4j2.xml").toString(), system.getProperty("log4j2.configurationFile"),
                "the -c directory has none: the installation's");

        Files.writeString(confDir.resolve("log4j2.xml"), "<Configuration/>");
        Properties again = LayoutTest.properties("sluice.home", home.toString());
        LoggingSetup.configure(Layout.resolve(again, Map.of(), Optional.of(confDir)), again, false);
        assertEquals(confDir.resolve("log4j2.xml").toString(), again.getProperty("log4j2.configurationFile"));
    }

    @Test
    void fallsBackOnTheLaunchersConsoleConfiguration() {
        Properties system = LayoutTest.properties("sluice.home", home.toString());
        LoggingSetup.configure(Layout.resolve(system, Map.of(), Optional.empty()), system, false);
        String fallback = system.getProperty("log4j2.configurationFile");
        assertTrue(fallback.endsWith(LoggingSetup.FALLBACK_CONFIGURATION), fallback);
        assertTrue(LoggingSetup.class.getClassLoader().getResource(LoggingSetup.FALLBACK_CONFIGURATION) != null);
        assertEquals(home.resolve("logs").toString(), system.getProperty("sluice.log.dir"));
        assertEquals("false", system.getProperty("log4j2.shutdownHookEnabled"));
    }

    @Test
    void everyBundleLogsThroughOneLoggerContextUnlessTheUserChoosesAnother() throws Exception {
        Properties system = LayoutTest.properties("sluice.home", home.toString());
        LoggingSetup.configure(Layout.resolve(system, Map.of(), Optional.empty()), system, false);
        assertEquals(LoggingSetup.ONE_CONTEXT, system.getProperty(LoggingSetup.CONTEXT_SELECTOR));
        // The class log4j is to make exists in the version on the launcher's class path.
        Class.forName(LoggingSetup.ONE_CONTEXT, false, LoggingSetup.class.getClassLoader());

        Properties chosen = LayoutTest.properties("sluice.home", home.toString());
        chosen.setProperty(LoggingSetup.CONTEXT_SELECTOR, "org.apache.logging.log4j.core.async.AsyncLoggerContextSelector");
        LoggingSetup.configure(Layout.resolve(chosen, Map.of(), Optional.empty()), chosen, false);
        assertEquals("org.apache.logging.log4j.core.async.AsyncLoggerContextSelector",
                chosen.getProperty(LoggingSetup.CONTEXT_SELECTOR));
    }

    @Test
    void mapsFlumesRootLoggerButAnExplicitPropertyWins() {
        Properties system = LayoutTest.properties("sluice.home", home.toString());
        system.setProperty("flume.root.logger", "DEBUG,console");
        system.setProperty("sluice.log.file.level", "WARN");
        List<String> warnings = LoggingSetup.configure(Layout.resolve(system, Map.of(), Optional.empty()), system, false);
        assertTrue(warnings.isEmpty(), warnings.toString());
        assertEquals("DEBUG", system.getProperty("sluice.log.level"));
        assertEquals("DEBUG", system.getProperty("sluice.log.console.level"));
        assertEquals("WARN", system.getProperty("sluice.log.file.level"));
    }

    @Test
    void validationKeepsTheConsoleForItsResultAndLeavesTheAgentsLogAlone() {
        Properties system = LayoutTest.properties("sluice.home", home.toString());
        LoggingSetup.configure(Layout.resolve(system, Map.of(), Optional.empty()), system, true);
        assertEquals("WARN", system.getProperty("sluice.log.console.level"));
        assertEquals("OFF", system.getProperty("sluice.log.file.level"));
    }
}
