package org.sluice.platform.config;

import java.io.IOException;

import org.sluice.platform.config.source.AgentConfigurationSource;

/** A configuration another bundle publishes ({@link AgentConfigurationSource}: ZooKeeper), read like a file. */
final class PublishedConfigSource implements ConfigSource {

    private final AgentConfigurationSource source;

    PublishedConfigSource(AgentConfigurationSource source) {
        this.source = source;
    }

    @Override
    public String location() {
        return source.location();
    }

    @Override
    public byte[] read() throws IOException {
        byte[] bytes = source.read();
        if (bytes == null) {
            throw new IOException(source.location() + " answered no text");
        }
        return bytes;
    }

    @Override
    public String toString() {
        return location();
    }
}
