package org.sluice.rpc.thrift;

import java.util.List;

import org.apache.thrift.TApplicationException;
import org.apache.thrift.TException;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.protocol.TType;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.rpc.thrift.FlumeThriftProtocol.Status;
import org.sluice.support.guard.DecodeBudget;
import org.sluice.support.guard.RateLimitedLog;
import org.sluice.support.guard.RequestTooLargeException;
import org.sluice.support.guard.UntrustedText;

/**
 * Answers one Thrift call: the events of an append or appendBatch go to the channels in one call of the
 * channel processor, and the client hears OK only when every required channel committed them. A refusal
 * (a full channel) is FAILED and nothing of the batch was kept, so the client sends it again.
 *
 * <p>What a request may decode to is bounded ({@link DecodeBudget}). A request beyond it, or one that cannot be
 * read, is answered with Thrift's application exception naming the reason, counted as EventReadFail and logged at
 * most once per interval; the frame was received whole, so the connection stays in step and stays open. Nothing of
 * such a request reaches Thrift's server, which would log every one with a stack trace.
 */
final class SourceRequestHandler implements TProcessor {
    private final String source;
    private final ChannelProcessor channels;
    private final SourceCounter counter;
    private final int maxEventsPerRequest;
    private final RateLimitedLog refusals = new RateLimitedLog(ThriftSource.LOG);

    SourceRequestHandler(String source, ChannelProcessor channels, SourceCounter counter, int maxEventsPerRequest) {
        this.source = source;
        this.channels = channels;
        this.counter = counter;
        this.maxEventsPerRequest = maxEventsPerRequest;
    }

    @Override
    public void process(TProtocol in, TProtocol out) throws TException {
        int frameBytes = in.getTransport().getBytesRemainingInBuffer();
        TMessage call;
        try {
            call = in.readMessageBegin();
        } catch (TException | RuntimeException e) {
            refuse(out, new TMessage("", TMessageType.EXCEPTION, 0), "cannot be read: " + e);
            return;
        }
        boolean single = FlumeThriftProtocol.APPEND.equals(call.name);
        if (!single && !FlumeThriftProtocol.APPEND_BATCH.equals(call.name)) {
            try {
                TProtocolUtil.skip(in, TType.STRUCT);
                in.readMessageEnd();
            } catch (TException | RuntimeException e) {
                // The arguments of an unknown call cannot be read either (found by ThriftFuzzTest).
                refuse(out, call, "cannot be read: " + e);
                return;
            }
            FlumeThriftProtocol.writeUnknownMethod(out, call);
            return;
        }
        List<Event> events;
        try {
            // Unknown for a transport that does not buffer whole frames: then Thrift's own frame bound (16 MB).
            DecodeBudget budget = DecodeBudget.forRequest("thrift request", maxEventsPerRequest,
                    frameBytes >= 0 ? frameBytes : 16L * 1024 * 1024);
            events = FlumeThriftProtocol.readEventsArgument(in, call.name, budget);
            in.readMessageEnd();
        } catch (RequestTooLargeException e) {
            refuse(out, call, e.getMessage());
            return;
        } catch (TException | RuntimeException e) {
            refuse(out, call, "cannot be read: " + e);
            return;
        }
        FlumeThriftProtocol.writeResult(out, call.name, call.seqid, deliver(single, events));
    }

    /** Answers {@code call} with Thrift's application exception, counts and logs (rate-limited) why. */
    private void refuse(TProtocol out, TMessage call, String reason) throws TException {
        counter.incrementEventReadFail();
        refusals.warn("Thrift source {}: refused a request: {}; nothing of it was accepted", source,
                UntrustedText.forLog(reason, 300));
        TApplicationException refused = new TApplicationException(TApplicationException.PROTOCOL_ERROR,
                "Sluice thrift source " + source + " refused the request: " + reason);
        out.writeMessageBegin(new TMessage(call.name, TMessageType.EXCEPTION, call.seqid));
        refused.write(out);
        out.writeMessageEnd();
        out.getTransport().flush();
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
