package org.sluice.config.zookeeper;

import java.util.function.Function;

/**
 * Where an agent's configuration is in ZooKeeper, as Flume's {@code -z} and {@code -p} say: the whole properties
 * text is the data of znode {@code <base path>/<agent>}, the base path {@code /flume} unless given.
 *
 * @param connectString the ensemble, {@code host:port[,host:port...][/chroot]}, as ZooKeeper's clients take it
 * @param basePath      the parent znode of the agents' configurations, absolute, without a trailing slash
 * @param agent         the agent's name, the last element of its znode
 */
record ZooKeeperSettings(String connectString, String basePath, String agent) {

    /** The framework properties the launcher sets from {@code -z}, {@code -p} and {@code -n}. */
    static final String CONNECT_STRING = "sluice.conf.zookeeper";
    static final String BASE_PATH = "sluice.conf.zookeeper.path";
    static final String AGENT = "sluice.agent.name";
    /** Flume's default base path. */
    static final String DEFAULT_BASE_PATH = "/flume";

    /**
     * The settings from framework properties; null when no connection string is set (the agent is not read from
     * ZooKeeper).
     *
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    static ZooKeeperSettings read(Function<String, String> properties) {
        String connectString = trimmed(properties.apply(CONNECT_STRING));
        if (connectString == null) {
            return null;
        }
        String agent = trimmed(properties.apply(AGENT));
        if (agent == null) {
            throw new IllegalArgumentException("-z needs the agent's name (-n): its configuration is the znode "
                    + "<base path>/<agent>");
        }
        if (agent.contains("/")) {
            throw new IllegalArgumentException("the agent's name '" + agent + "' contains '/', so it cannot name a "
                    + "znode under the base path");
        }
        return new ZooKeeperSettings(connectString, basePath(trimmed(properties.apply(BASE_PATH))), agent);
    }

    /** {@code -p} as ZooKeeper takes a path: absolute, no trailing slash; {@code /flume} when not given. */
    static String basePath(String given) {
        if (given == null) {
            return DEFAULT_BASE_PATH;
        }
        if (!given.startsWith("/")) {
            throw new IllegalArgumentException("-p '" + given + "': a ZooKeeper path starts with '/'");
        }
        String path = given;
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.contains("//")) {
            throw new IllegalArgumentException("-p '" + given + "': a ZooKeeper path has no empty element");
        }
        return path;
    }

    /** The agent's znode. */
    String agentPath() {
        return basePath.equals("/") ? "/" + agent : basePath + "/" + agent;
    }

    /** For messages and the configurations' origin: {@code zookeeper://127.0.0.1:2181/flume/a1}. */
    String location() {
        return "zookeeper://" + connectString + agentPath();
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
