package org.sluice.platform.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Config Admin in line with one agent of one properties file: reads the file, validates it, writes
 * what changed, and logs every problem. A file that cannot be read leaves the running configuration as it
 * is (Flume would stop the agent); the error is logged once until the file changes.
 */
final class ConfigFileSync implements ConfigFileBridge {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigFileSync.class);

    private final Path file;
    private final String agent;
    private final FlumeConfigParser parser;
    private final ConfigAdminSync sync;
    /** What the file held when last applied (a digest, or the read error): polls act only when it changes. */
    private String lastSeen;

    ConfigFileSync(Path file, String agent, FlumeConfigParser parser, ConfigurationAdmin configurationAdmin) {
        this.file = file.toAbsolutePath().normalize();
        this.agent = agent;
        this.parser = parser;
        this.sync = new ConfigAdminSync(configurationAdmin);
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public String agent() {
        return agent;
    }

    @Override
    public synchronized ReloadSummary reload() {
        return apply(read());
    }

    /** Applies the file if its content differs from the last one applied; empty when it does not. */
    synchronized Optional<ReloadSummary> reloadIfChanged() {
        Content content = read();
        if (content.identity().equals(lastSeen)) {
            return Optional.empty();
        }
        return Optional.of(apply(content));
    }

    private ReloadSummary apply(Content content) {
        lastSeen = content.identity();
        if (content.bytes() == null) {
            Problem unreadable = Problem.agentError(agent, null, "cannot read " + file + ": " + content.error()
                    + "; the running configuration is kept");
            LOG.error("{}", unreadable);
            return new ReloadSummary(agent, file, List.of(), List.of(), List.of(), List.of(unreadable));
        }
        AgentDefinition definition;
        try {
            definition = parser.parse(content.bytes(), agent);
        } catch (IllegalArgumentException e) {
            // Properties.load rejects a malformed \\uXXXX escape with IllegalArgumentException.
            Problem malformed = Problem.agentError(agent, null, file + " is not a valid properties file: "
                    + e.getMessage() + "; the running configuration is kept");
            LOG.error("{}", malformed);
            return new ReloadSummary(agent, file, List.of(), List.of(), List.of(), List.of(malformed));
        }
        List<Problem> problems = new ArrayList<>(definition.problems());
        ReloadSummary summary;
        try {
            ConfigAdminSync.Result result = sync.apply(definition, file.toString());
            problems.addAll(result.problems());
            summary = new ReloadSummary(agent, file, result.added(), result.updated(), result.removed(), problems);
        } catch (IOException e) {
            // Config Admin could not persist: what was written stays, the rest is retried on the next change.
            lastSeen = null;
            problems.add(Problem.agentError(agent, null, "Config Admin failed to store the configuration: " + e));
            summary = new ReloadSummary(agent, file, List.of(), List.of(), List.of(), problems);
            LOG.error("Config Admin failed to store agent {} from {}", agent, file, e);
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
            LOG.error("agent {} from {} has no usable component; nothing runs", agent, file);
        }
        return summary;
    }

    /** What the file held: its bytes (null when unreadable), their digest or the read error, and the error. */
    private record Content(byte[] bytes, String identity, String error) {
    }

    private Content read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            String error = e.toString();
            return new Content(null, "unreadable: " + error, error);
        }
        return new Content(bytes, digest(bytes), null);
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
