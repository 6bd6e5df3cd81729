package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutTest {
    @TempDir
    Path home;

    @Test
    void everyDirectoryIsUnderTheHomeGivenAsSystemProperty() {
        Layout layout = Layout.resolve(properties("sluice.home", home.toString()), Map.of(), Optional.empty());
        assertEquals(home, layout.home());
        assertEquals(home.resolve("conf"), layout.conf());
        assertEquals(home.resolve("data"), layout.data());
        assertEquals(home.resolve("logs"), layout.logs());
        assertEquals(home.resolve("bundle"), layout.bundles());
        assertEquals(home.resolve("deploy"), layout.deploy());
        assertEquals(home.resolve("etc"), layout.etc());
        assertEquals(home.resolve("data/cache"), layout.felixCache());
    }

    @Test
    void theEnvironmentGivesTheHomeWhenNoPropertyDoes() {
        Layout layout = Layout.resolve(new Properties(), Map.of("SLUICE_HOME", home.toString()), Optional.empty());
        assertEquals(home, layout.home());
        Layout property = Layout.resolve(properties("sluice.home", home.resolve("p").toString()),
                Map.of("SLUICE_HOME", home.toString()), Optional.empty());
        assertEquals(home.resolve("p"), property.home(), "the property wins");
    }

    @Test
    void dataLogsAndConfCanMoveAndRelativePathsBecomeAbsolute() {
        Properties system = properties("sluice.home", home.toString());
        system.setProperty("sluice.data", home.resolve("var/lib").toString());
        system.setProperty("flume.log.dir", home.resolve("var/log").toString());
        Layout layout = Layout.resolve(system, Map.of(), Optional.of(Path.of("myconf")));
        assertEquals(home.resolve("var/lib"), layout.data());
        assertEquals(home.resolve("var/log"), layout.logs());
        assertEquals(Path.of("myconf").toAbsolutePath(), layout.conf());
        assertTrue(layout.conf().isAbsolute());
    }

    @Test
    void createsTheDirectoriesARunWritesTo() throws IOException {
        Layout layout = Layout.resolve(properties("sluice.home", home.toString()), Map.of(), Optional.empty());
        layout.createWritableDirectories();
        for (Path directory : new Path[] {layout.data(), layout.logs(), layout.deploy(), layout.etc()}) {
            assertTrue(Files.isDirectory(directory), directory.toString());
        }
    }

    static Properties properties(String key, String value) {
        Properties properties = new Properties();
        properties.setProperty(key, value);
        return properties;
    }
}
