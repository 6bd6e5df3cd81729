package org.sluice.platform.config;

import java.nio.file.Path;

/**
 * The properties file an agent was started with ({@code --conf-file}), as a service for the shell: the
 * bridge keeps Config Admin in line with the file; {@link #reload()} does it now.
 */
public interface ConfigFileBridge {

    /** Reads the file again now, writes what changed to Config Admin, and says what that was. */
    ReloadSummary reload();

    /** The properties file, absolute. */
    Path file();

    /** The agent read from it. */
    String agent();
}
