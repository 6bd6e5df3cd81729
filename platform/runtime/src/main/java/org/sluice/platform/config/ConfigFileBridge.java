package org.sluice.platform.config;

import java.io.IOException;
import java.util.List;

/**
 * The configuration an agent was started with ({@code --conf-file}, {@code --conf-uri}), as a service for the
 * shell: the bridge keeps Config Admin in line with it; {@link #reload()} does it now.
 */
public interface ConfigFileBridge {

    /** Reads the configuration again now, writes what changed to Config Admin, and says what that was. */
    ReloadSummary reload();

    /** Where the configuration is read from, for messages: {@code /etc/flume/a.conf + /etc/flume/b.conf}. */
    String origin();

    /** The agent read from it. */
    String agent();

    /** The configuration's texts as they are now, in merge order (for a check that applies nothing). */
    List<ConfigText> read() throws IOException;
}
