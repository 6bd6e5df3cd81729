package org.sluice.launcher;

import java.io.File;
import java.util.Map;
import java.util.Properties;

/**
 * Flume's ways of adding plugin jars, handed to the Flume plugin bridge as framework properties: the plugins path
 * ({@code --plugins-path}, directories of {@code plugins.d} layout; the bridge's default is
 * {@code $SLUICE_HOME/plugins.d}, as Flume's is {@code $FLUME_HOME/plugins.d}) and the class path
 * ({@code -C/--classpath}, then the {@code FLUME_CLASSPATH} environment variable, which {@code flume-env.sh} sets; the
 * command line's entries come first, as in Flume's launcher).
 */
final class FlumePlugins {
    static final String PLUGINS_PATH = "sluice.flume.plugins.path";
    static final String CLASS_PATH = "sluice.flume.classpath";
    static final String CLASS_PATH_VARIABLE = "FLUME_CLASSPATH";

    private FlumePlugins() {
    }

    /** Appends {@code FLUME_CLASSPATH} to the class path property. */
    static void apply(Properties system, Map<String, String> environment) {
        String fromEnvironment = environment.get(CLASS_PATH_VARIABLE);
        if (fromEnvironment == null || fromEnvironment.isBlank()) {
            return;
        }
        String fromCommandLine = system.getProperty(CLASS_PATH);
        system.setProperty(CLASS_PATH, fromCommandLine == null || fromCommandLine.isBlank() ? fromEnvironment
                : fromCommandLine + File.pathSeparator + fromEnvironment);
    }
}
