package org.sluice.rpc.avro;

import java.util.List;

import org.slf4j.Logger;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.source.ChannelProcessor;

/**
 * Hands the events of one append or appendBatch call to the channel processor in one {@code processEventBatch}, so
 * they are all committed or none is, and counts the call as Flume's avro source does. Both ways a call is read
 * (Avro's generic responder and {@link DirectCall}) deliver through here.
 */
final class EventDelivery {
    private final String name;
    private final ChannelProcessor processor;
    private final SourceCounter counter;
    private final Logger log;

    EventDelivery(String name, ChannelProcessor processor, SourceCounter counter, Logger log) {
        this.name = name;
        this.processor = processor;
        this.counter = counter;
        this.log = log;
    }

    /** True if the call's events were committed to every required channel: the client is answered OK. */
    boolean deliver(String message, List<Event> events) {
        boolean batch = FlumeProtocol.APPEND_BATCH.equals(message);
        if (batch) {
            counter.incrementAppendBatchReceivedCount();
        } else {
            counter.incrementAppendReceivedCount();
        }
        counter.addToEventReceivedCount(events.size());
        if (!process(events)) {
            return false;
        }
        if (batch) {
            counter.incrementAppendBatchAcceptedCount();
        } else {
            counter.incrementAppendAcceptedCount();
        }
        counter.addToEventAcceptedCount(events.size());
        return true;
    }

    /**
     * On failure nothing of the call is kept (the channel processor rolls every transaction back) and the client is
     * answered FAILED so it sends the events again.
     */
    private boolean process(List<Event> events) {
        try {
            processor.processEventBatch(events);
            return true;
        } catch (ChannelException e) {
            counter.incrementChannelWriteFail();
            log.warn("Avro source {}: the channels refused a batch of {} events; the client is answered FAILED "
                    + "and will send them again: {}", name, events.size(), e.toString());
            return false;
        } catch (RuntimeException e) {
            // An interceptor or selector failed: as in Flume, the call fails and the client retries.
            counter.incrementGenericProcessingFail();
            log.error("Avro source {}: could not process a batch of {} events; the client is answered FAILED",
                    name, events.size(), e);
            return false;
        }
    }
}
