package org.sluice.flume;

import org.sluice.api.source.EventDrivenSource;

/**
 * A Flume event-driven source of a plugin, run by Sluice: it runs its own threads from start to stop and hands its
 * events to the channel processor it was given ({@link ChannelProcessorView}).
 */
class FlumeSourceAdapter implements EventDrivenSource {
    final org.apache.flume.Source source;
    final PluginCall call;

    FlumeSourceAdapter(org.apache.flume.Source source, PluginCall call) {
        this.source = source;
        this.call = call;
    }

    @Override
    public void start() {
        call.run(source::start);
    }

    @Override
    public void stop() {
        try {
            call.run(source::stop);
        } finally {
            call.counters().close();
        }
    }

    @Override
    public String toString() {
        return source.toString();
    }

    /** A Flume pollable source: the platform's runner calls {@code process()} with Flume's own backoff settings. */
    static final class Pollable extends FlumeSourceAdapter implements org.sluice.api.source.PollableSource {
        private final org.apache.flume.PollableSource pollable;

        Pollable(org.apache.flume.PollableSource source, PluginCall call) {
            super(source, call);
            this.pollable = source;
        }

        @Override
        public Status process() throws org.sluice.api.sink.EventDeliveryException {
            try {
                return call.call(pollable::process) == org.apache.flume.PollableSource.Status.READY ? Status.READY
                        : Status.BACKOFF;
            } catch (org.apache.flume.EventDeliveryException e) {
                throw new org.sluice.api.sink.EventDeliveryException(e.getMessage(), e);
            }
        }

        @Override
        public long backoffSleepIncrement() {
            return pollable.getBackOffSleepIncrement();
        }

        @Override
        public long maxBackoffSleep() {
            return pollable.getMaxBackOffSleepInterval();
        }
    }
}
