package org.sluice.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where an agent's configuration comes from, as Flume 1.10+'s agent options say it.
 *
 * @param files               {@code -f/--conf-file}, in the order given; merged after the URIs
 * @param uris                {@code -u/--conf-uri}, in the order given ({@code file:}, {@code http(s):},
 *                            {@code classpath:})
 * @param reload              whether the configuration is read again when it changes (off with
 *                            {@code --no-reload-conf})
 * @param pollIntervalSeconds {@code -i/--poll-interval} (or Sluice's {@code --conf-poll-interval}); 0 when not
 *                            given: Flume's default, 30 s, or 300 s when a URI is read over HTTP
 * @param user                {@code --conf-user}, for URIs read over HTTP
 * @param password            {@code --conf-password}; never printed
 * @param backupDirectory     {@code -b/--backup-directory}: where the configuration last read is kept
 * @param zooKeeper           {@code -z/--zkConnString}: the configuration is the agent's znode in this ZooKeeper
 *                            ensemble; files and URIs are then not read, as in Flume
 * @param zooKeeperBasePath   {@code -p/--zkBasePath}: the parent of the agents' znodes ({@code /flume} when not given)
 */
record ConfigurationOptions(List<Path> files, List<String> uris, boolean reload, int pollIntervalSeconds,
        Optional<String> user, Optional<String> password, Optional<Path> backupDirectory, Optional<String> zooKeeper,
        Optional<String> zooKeeperBasePath) {

    /** Flume re-reads its configuration every 30 seconds; over HTTP every 300. */
    static final int FILE_POLL_INTERVAL_SECONDS = 30;
    static final int HTTP_POLL_INTERVAL_SECONDS = 300;

    static final ConfigurationOptions NONE = new ConfigurationOptions(List.of(), List.of(), true, 0, Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    ConfigurationOptions {
        files = List.copyOf(files);
        uris = List.copyOf(uris);
    }

    boolean isEmpty() {
        return files.isEmpty() && uris.isEmpty() && zooKeeper.isEmpty();
    }

    /** Whether the configuration is read from ZooKeeper ({@code -z}). */
    boolean fromZooKeeper() {
        return zooKeeper.isPresent();
    }

    /** The interval in effect: the one given, else Flume's default for these sources. */
    int effectivePollIntervalSeconds() {
        if (pollIntervalSeconds > 0) {
            return pollIntervalSeconds;
        }
        boolean http = uris.stream().anyMatch(uri -> uri.toLowerCase(Locale.ROOT).startsWith("http"));
        return http ? HTTP_POLL_INTERVAL_SECONDS : FILE_POLL_INTERVAL_SECONDS;
    }

    /** For messages: the agent's znode with {@code -z}, else the sources in merge order. */
    String describe(String agent) {
        if (fromZooKeeper()) {
            return "zookeeper://" + zooKeeper.get() + zooKeeperBasePath.orElse("/flume").replaceAll("/+$", "") + "/"
                    + agent;
        }
        return String.join(" + ", sourcesInMergeOrder());
    }

    /** The sources in the order their keys are merged (the URIs, then the files, as the User Guide says). */
    List<String> sourcesInMergeOrder() {
        List<String> sources = new java.util.ArrayList<>(uris);
        files.forEach(file -> sources.add(file.toAbsolutePath().normalize().toString()));
        return sources;
    }

    /** Says what was given, never the password. */
    @Override
    public String toString() {
        return "ConfigurationOptions[files=" + files + ", uris=" + uris + ", reload=" + reload
                + ", pollIntervalSeconds=" + pollIntervalSeconds + ", user=" + user.orElse("none") + ", password="
                + (password.isPresent() ? "****" : "none") + ", backupDirectory=" + backupDirectory + ", zooKeeper="
                + zooKeeper + ", zooKeeperBasePath=" + zooKeeperBasePath + "]";
    }
}
