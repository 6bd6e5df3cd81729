package org.sluice.rpc.thrift;

import java.util.List;

import org.apache.thrift.TException;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.protocol.TType;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.rpc.thrift.FlumeThriftProtocol.Status;

/**
 * Answers one Thrift call: the events of an append or appendBatch go to the channels in one call of the
 * channel processor, and the client hears OK only when every required channel committed them. A refusal
 * (a full channel) is FAILED and nothing of the batch was kept, so the client sends it again.
 */
final class SourceRequestHandler implements TProcessor {
    private final String source;
    private final ChannelProcessor channels;
    private final SourceCounter counter;

    SourceRequestHandler(String source, ChannelProcessor channels, SourceCounter counter) {
        this.source = source;
        this.channels = channels;
        this.counter = counter;
    }

    @Override
    public void process(TProtocol in, TProtocol out) throws TException {
        TMessage call = in.readMessageBegin();
        boolean single = FlumeThriftProtocol.APPEND.equals(call.name);
        if (!single && !FlumeThriftProtocol.APPEND_BATCH.equals(call.name)) {
            TProtocolUtil.skip(in, TType.STRUCT);
            in.readMessageEnd();
            FlumeThriftProtocol.writeUnknownMethod(out, call);
            return;
        }
        List<Event> events = FlumeThriftProtocol.readEventsArgument(in, call.name);
        in.readMessageEnd();
        FlumeThriftProtocol.writeResult(out, call.name, call.seqid, deliver(single, events));
    }

    private Status deliver(boolean single, List<Event> events) {
        if (single) {
            counter.incrementAppendReceivedCount();
        } else {
            counter.incrementAppendBatchReceivedCount();
        }
        counter.addToEventReceivedCount(events.size());
        try {
            if (single && events.size() == 1) {
                channels.processEvent(events.get(0));
            } else {
                channels.processEventBatch(events);
            }
        } catch (ChannelException e) {
            counter.incrementChannelWriteFail();
            ThriftSource.LOG.warn("Thrift source {}: the channels refused {} events; the client is told FAILED and "
                    + "sends them again: {}", source, events.size(), e.getMessage());
            return Status.FAILED;
        } catch (RuntimeException e) {
            // Not a refusal the client can wait out, but nothing was kept either: it hears FAILED and retries.
            counter.incrementGenericProcessingFail();
            ThriftSource.LOG.error("Thrift source {}: {} events could not be processed; the client is told FAILED",
                    source, events.size(), e);
            return Status.FAILED;
        }
        if (single) {
            counter.incrementAppendAcceptedCount();
        } else {
            counter.incrementAppendBatchAcceptedCount();
        }
        counter.addToEventAcceptedCount(events.size());
        return Status.OK;
    }
}
