package org.sluice.rpc.thrift;

import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TMemoryBuffer;
import org.apache.thrift.transport.TMemoryInputTransport;
import org.sluice.api.component.ComponentKind;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.api.testkit.RecordingChannelProcessor;

/**
 * Coverage-guided fuzz targets of a thrift source's request handling (issue 15), in both of Flume's protocols: one
 * frame, as the server hands it to the handler. The handler answers whatever it is given (an answer or Thrift's
 * application exception); an exception escaping it, or more events delivered than the bound, is a finding.
 */
class ThriftFuzzTest {
    private static final int MAX_EVENTS = 1000;

    private static void handle(byte[] frame, boolean compact) throws TException {
        TMemoryInputTransport in = new TMemoryInputTransport(frame);
        TMemoryBuffer out = new TMemoryBuffer(256);
        TProtocol input = compact ? new TCompactProtocol(in) : new TBinaryProtocol(in);
        TProtocol output = compact ? new TCompactProtocol(out) : new TBinaryProtocol(out);
        RecordingChannelProcessor channels = new RecordingChannelProcessor();
        new SourceRequestHandler("r1", channels, new ComponentCounters("a1", ComponentKind.SOURCE, "r1"), MAX_EVENTS)
                .process(input, output);
        List<?> accepted = channels.accepted();
        if (accepted.size() > MAX_EVENTS) {
            throw new IllegalStateException(accepted.size() + " events passed a bound of " + MAX_EVENTS);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void compactProtocol(byte[] frame) throws TException {
        handle(frame, true);
    }

    @FuzzTest(maxDuration = "10m")
    void binaryProtocol(byte[] frame) throws TException {
        handle(frame, false);
    }
}
