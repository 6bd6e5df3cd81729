package org.sluice.flume;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Flume plugin directory as Flume's launcher reads it: {@code lib/*.jar} (the plugin), {@code libext/*.jar} (its
 * dependencies) and {@code native/} (its native libraries), each read in name order.
 */
final class PluginLayout {
    private PluginLayout() {
    }

    /** True if the directory has any of Flume's three subdirectories. */
    static boolean isPlugin(Path directory) {
        return Files.isDirectory(directory.resolve("lib")) || Files.isDirectory(directory.resolve("libext"))
                || Files.isDirectory(directory.resolve("native"));
    }

    static PluginSource read(Path directory, String name) throws IOException {
        List<Path> classPath = new ArrayList<>(files(directory.resolve("lib"), "*.jar"));
        classPath.addAll(files(directory.resolve("libext"), "*.jar"));
        List<Path> natives = files(directory.resolve("native"), "*");
        String version = classPath.isEmpty() ? PluginNames.osgi(null) : PluginNames.version(classPath.get(0));
        return new PluginSource(PluginNames.directorySymbolicName(name), version, "plugins.d/" + name, classPath,
                natives, false);
    }

    private static List<Path> files(Path directory, String glob) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, glob)) {
                for (Path entry : entries) {
                    if (Files.isRegularFile(entry)) {
                        files.add(entry);
                    }
                }
            }
        }
        files.sort(null);
        return files;
    }
}
