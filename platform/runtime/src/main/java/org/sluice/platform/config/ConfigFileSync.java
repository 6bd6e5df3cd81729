package org.sluice.platform.config;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Config Admin in line with one agent of a configuration (one properties file, or several files and URIs
 * merged): reads it, validates it, writes what changed, and logs every problem. A configuration that cannot be
 * read leaves the running configuration as it is (Flume would stop the agent); the error is logged once until
 * what is read changes.
 */
final class ConfigFileSync implements ConfigFileBridge {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigFileSync.class);

    private final ConfigSources sources;
    private final String agent;
    private final FlumeConfigParser parser;
    private final ConfigAdminSync sync;
    /** What was read when last applied (a digest, or the read error): polls act only when it changes. */
    private String lastSeen;
    /** Whether a configuration was applied since the start: until then a backup copy may stand in. */
    private boolean applied;

    ConfigFileSync(ConfigSources sources, String agent, FlumeConfigParser parser,
            ConfigurationAdmin configurationAdmin) {
        this.sources = sources;
        this.agent = agent;
        this.parser = parser;
        this.sync = new ConfigAdminSync(configurationAdmin);
    }

    @Override
    public String origin() {
        return sources.describe();
    }

    @Override
    public String agent() {
        return agent;
    }

    @Override
    public List<ConfigText> read() throws IOException {
        return sources.read(false).texts();
    }

    /** Whether a configuration was applied since the start. */
    synchronized boolean applied() {
        return applied;
    }

    /** Whether a source is read over HTTP (Flume's default poll interval is longer then). */
    boolean overHttp() {
        return sources.overHttp();
    }

    @Override
    public synchronized ReloadSummary reload() {
        return apply(snapshot());
    }

    /** Applies the configuration if it differs from the last one applied; empty when it does not. */
    synchronized Optional<ReloadSummary> reloadIfChanged() {
        Content content = snapshot();
        if (content.identity().equals(lastSeen)) {
            return Optional.empty();
        }
        return Optional.of(apply(content));
    }

    private ReloadSummary apply(Content content) {
        lastSeen = content.identity();
        if (content.snapshot() == null) {
            Problem unreadable = Problem.agentError(agent, null, content.error()
                    + (applied ? "; the running configuration is kept" : "; nothing runs until it can be read"));
            LOG.error("{}", unreadable);
            return new ReloadSummary(agent, origin(), List.of(), List.of(), List.of(), List.of(unreadable));
        }
        if (content.snapshot().warning() != null) {
            LOG.warn("agent {}: {}", agent, content.snapshot().warning());
        }
        AgentDefinition definition;
        try {
            definition = parser.parse(content.snapshot().texts(), agent);
        } catch (IOException e) {
            Problem malformed = Problem.agentError(agent, null, "not a valid properties file: " + e.getMessage()
                    + "; the running configuration is kept");
            LOG.error("{}", malformed);
            return new ReloadSummary(agent, origin(), List.of(), List.of(), List.of(), List.of(malformed));
        }
        List<Problem> problems = new ArrayList<>(definition.problems());
        ReloadSummary summary;
        try {
            ConfigAdminSync.Result result = sync.apply(definition, origin());
            applied = true;
            problems.addAll(result.problems());
            summary = new ReloadSummary(agent, origin(), result.added(), result.updated(), result.removed(), problems);
        } catch (IOException e) {
            // Config Admin could not persist: what was written stays, the rest is retried on the next change.
            lastSeen = null;
            problems.add(Problem.agentError(agent, null, "Config Admin failed to store the configuration: " + e));
            summary = new ReloadSummary(agent, origin(), List.of(), List.of(), List.of(), problems);
            LOG.error("Config Admin failed to store agent {} from {}", agent, origin(), e);
        }
        for (Problem problem : problems) {
            if (problem.isError()) {
                LOG.error("{}", problem);
            } else {
                LOG.warn("{}", problem);
            }
        }
        LOG.info("{}", summary.headline());
        if (definition.isEmpty()) {
            LOG.error("agent {} from {} has no usable component; nothing runs", agent, origin());
        }
        return summary;
    }

    /** What was read, or why nothing could be; {@code identity} tells one read from another. */
    private record Content(ConfigSources.Snapshot snapshot, String identity, String error) {
    }

    private Content snapshot() {
        try {
            ConfigSources.Snapshot snapshot = sources.read(!applied);
            return new Content(snapshot, snapshot.identity(), null);
        } catch (IOException e) {
            String error = "cannot read the configuration: " + e.getMessage();
            return new Content(null, "unreadable: " + error, error);
        }
    }
}
