package org.sluice.api.source;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A source that runs its own threads from {@link #start()} to {@link #stop()} (a network server, a file
 * watcher) and hands what it receives to {@link SourceContext#channelProcessor()}. It acknowledges a
 * client only after the processor returned; when the processor throws, nothing was kept and the client must
 * be told to retry.
 */
@ConsumerType
public interface EventDrivenSource extends Source {
}
