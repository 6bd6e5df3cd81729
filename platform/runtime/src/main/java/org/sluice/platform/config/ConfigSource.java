package org.sluice.platform.config;

import java.io.IOException;

/**
 * One place an agent's configuration is read from: a properties file ({@code --conf-file}), or a URI
 * ({@code --conf-uri}: {@code file:}, {@code http:}, {@code https:}, {@code classpath:}).
 */
interface ConfigSource {

    /** Where it is, for messages: a path, or a URI without credentials. */
    String location();

    /**
     * Its bytes as they are now (the parser reads them as {@link ConfigText#decode} says). A source that can tell
     * that nothing changed since the last read (an HTTP server answering 304 Not Modified) returns what it read
     * then.
     *
     * @throws IOException when it cannot be read; the message says why, without credentials
     */
    byte[] read() throws IOException;
}
