package org.sluice.rpc.avro;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.apache.avro.AvroRuntimeException;
import org.sluice.support.guard.DecodeBudget;
import org.sluice.support.guard.RequestTooLargeException;

/**
 * Coverage-guided fuzz targets of what the avro source reads from a client (issue 15): the frame decoder, the
 * direct reading of appendBatch, and the handshake with Avro's generic responder behind the request guard. A
 * refusal (an Avro or Netty decoding error, a request beyond its budget) is an answer; anything else thrown, or a
 * decoded request beyond the budget, is a finding. The corpora under src/test/resources replay in the default run;
 * {@code .ci/fuzz} fuzzes each target ({@code JAZZER_FUZZ=1}).
 */
class AvroFuzzTest {
    private static final int MAX_EVENTS = 1000;

    @FuzzTest(maxDuration = "10m")
    void frameDecoder(byte[] input) {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(64 * 1024));
        try {
            // Fed in two pieces: a frame can arrive cut anywhere.
            int cut = input.length / 2;
            channel.writeInbound(Unpooled.wrappedBuffer(input, 0, cut));
            channel.writeInbound(Unpooled.wrappedBuffer(input, cut, input.length - cut));
        } catch (DecoderException expected) {
            // A frame the decoder refuses: the connection would close.
        } finally {
            for (Object frame; (frame = channel.readInbound()) != null;) {
                long size = RequestGuard.size(((Frame) frame).buffers());
                if (size > 64 * 1024) {
                    throw new IllegalStateException("a frame of " + size + " bytes passed a bound of 64 KiB");
                }
                ((Frame) frame).release();
            }
            channel.finishAndReleaseAll();
        }
    }

    @FuzzTest(maxDuration = "10m")
    void directCall(byte[] input) {
        List<ByteBuffer> frame = List.of(ByteBuffer.wrap(input));
        DecodeBudget budget = DecodeBudget.forRequest("avro request", MAX_EVENTS, input.length);
        try {
            DirectCall call = DirectCall.read(frame, budget);
            if (call != null && call.events().size() > MAX_EVENTS) {
                throw new IllegalStateException(call.events().size() + " events passed a bound of " + MAX_EVENTS);
            }
        } catch (AvroRuntimeException | RequestTooLargeException expected) {
            // Refused.
        }
        if (budget.decodedBytes() > budget.maxDecodedBytes()) {
            throw new IllegalStateException("decoded " + budget.decodedBytes() + " bytes, beyond the budget");
        }
    }

    @FuzzTest(maxDuration = "10m")
    void handshakeAndGenericCall(byte[] input) {
        List<ByteBuffer> frame = List.of(ByteBuffer.wrap(input));
        DecodeBudget budget = DecodeBudget.forRequest("avro request", MAX_EVENTS, input.length);
        ConnectionState connection = new ConnectionState("fuzz");
        FlumeResponder responder = new FlumeResponder("r1", new EventDelivery("r1",
                new org.sluice.api.testkit.RecordingChannelProcessor(), new org.sluice.platform.metrics.ComponentCounters(
                        "a1", org.sluice.api.component.ComponentKind.SOURCE, "r1"), AvroSource.LOG));
        try {
            RequestGuard.check(frame, true, budget);
            responder.respondBounded(frame, connection, budget);
        } catch (AvroRuntimeException | IOException | RequestTooLargeException expected) {
            // Refused, or answered with an error.
        }
    }
}
