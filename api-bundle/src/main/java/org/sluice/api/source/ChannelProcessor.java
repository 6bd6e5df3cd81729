package org.sluice.api.source;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.event.Event;

/**
 * Where a source's events go: the platform runs them through the source's interceptors, asks its channel
 * selector for the required and optional channels, and puts them there, one transaction per channel.
 * A return means every required channel committed. A {@link ChannelException} means some required channel
 * did not: the source must treat the whole batch as not accepted (and its client retries). Failures of
 * optional channels are counted and logged, never thrown.
 */
@ProviderType
public interface ChannelProcessor {

    void processEvent(Event event) throws ChannelException;

    void processEventBatch(List<Event> events) throws ChannelException;
}
