package org.sluice.rpc.avro;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.ipc.specific.SpecificResponder;
import org.apache.avro.util.ByteBufferOutputStream;
import org.apache.flume.Context;
import org.apache.flume.channel.ChannelProcessor;
import org.apache.flume.channel.ReplicatingChannelSelector;
import org.apache.flume.source.AvroSource;
import org.apache.flume.source.avro.AvroSourceProtocol;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.slf4j.LoggerFactory;
import org.sluice.api.event.Event;
import org.sluice.jmh.BenchmarkEvents;
import org.sluice.jmh.Frames;
import org.sluice.jmh.HandshakenConnection;
import org.sluice.support.guard.DecodeBudget;
import org.sluice.testkit.TestContexts;

/**
 * One appendBatch call answered by the avro source, from the request frame (as the frame decoder hands it over, on a
 * connection whose handshake is done) to the answer, with the events handed to a channel processor that keeps them
 * and does nothing else. The request's bytes are written once, by Avro's own encoder, and every variant reads the
 * same bytes:
 * <ul>
 * <li>{@code sluiceDirect}: Sluice's path for a client speaking Flume's protocol, {@link DirectCall#read} and
 * {@link EventDelivery};</li>
 * <li>{@code sluiceGeneric}: Sluice's path for any other client, {@link RequestGuard} then Avro's generic responder
 * ({@link FlumeResponder}: GenericDatumReader, generic records converted to events);</li>
 * <li>{@code flumeSpecific}: Apache Flume 1.11.0's AvroSource behind Avro's SpecificResponder, as Flume's server
 * runs it (SpecificDatumReader of AvroFlumeEvent, then AvroSource.appendBatch's conversion to Flume events).</li>
 * </ul>
 * The two Avro paths read duplicates of the frame's buffers, since Avro's input stream consumes them; a Netty frame
 * is read once and needs none.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AvroSourceDecodingBenchmark {
    /** Events in the batch. */
    @Param({"100", "1000"})
    public int events;

    /**
     * Where the frame's bytes are: {@code direct} (Netty's pooled allocator's default, what a running source reads)
     * or {@code heap}.
     */
    @Param({"direct", "heap"})
    public String buffers;

    private List<ByteBuffer> frame;

    private final KeepingProcessor sluiceProcessor = new KeepingProcessor();
    private EventDelivery delivery;
    private FlumeResponder genericResponder;
    private ConnectionState sluiceConnection;

    private KeepingFlumeProcessor flumeProcessor;
    private SpecificResponder flumeResponder;
    private HandshakenConnection flumeConnection;

    /** A channel processor that keeps the last batch (so the work is not optimised away) and does nothing else. */
    static final class KeepingProcessor implements org.sluice.api.source.ChannelProcessor {
        List<Event> last;

        @Override
        public void processEvent(Event event) {
            last = List.of(event);
        }

        @Override
        public void processEventBatch(List<Event> batch) {
            last = batch;
        }
    }

    /** Flume's ChannelProcessor with no channels, keeping the last batch. */
    static final class KeepingFlumeProcessor extends ChannelProcessor {
        List<org.apache.flume.Event> last;

        KeepingFlumeProcessor() {
            super(noChannels());
        }

        private static ReplicatingChannelSelector noChannels() {
            ReplicatingChannelSelector selector = new ReplicatingChannelSelector();
            selector.setChannels(new ArrayList<>());
            return selector;
        }

        @Override
        public void processEvent(org.apache.flume.Event event) {
            last = List.of(event);
        }

        @Override
        public void processEventBatch(List<org.apache.flume.Event> batch) {
            last = batch;
        }
    }

    @Setup
    public void setUp() throws IOException {
        List<ByteBuffer> heap = request(BenchmarkEvents.sluice(events));
        frame = "direct".equals(buffers) ? Frames.direct(heap) : heap;

        delivery = new EventDelivery("r1", sluiceProcessor,
                TestContexts.source("r1", Map.of(), sluiceProcessor, null).counter(),
                LoggerFactory.getLogger(AvroSourceDecodingBenchmark.class));
        genericResponder = new FlumeResponder("r1", delivery);
        sluiceConnection = new ConnectionState("benchmark");
        sluiceConnection.setRemote(FlumeProtocol.PROTOCOL);
        if (!sluiceConnection.isWireIdentical()) {
            throw new IllegalStateException("Flume's protocol should be read by DirectCall");
        }

        AvroSource source = new AvroSource();
        source.setName("r1");
        Context context = new Context();
        context.put("bind", "127.0.0.1");
        context.put("port", "41414");
        source.configure(context);
        flumeProcessor = new KeepingFlumeProcessor();
        source.setChannelProcessor(flumeProcessor);
        flumeResponder = new SpecificResponder(AvroSourceProtocol.class, source);
        flumeConnection = new HandshakenConnection(AvroSourceProtocol.PROTOCOL);

        checkEveryPathReadsTheBatch();
    }

    /** The appendBatch request as Avro's requestor writes it after the handshake: metadata, name, parameters. */
    static List<ByteBuffer> request(List<Event> batch) throws IOException {
        ByteBufferOutputStream out = new ByteBufferOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        encoder.writeMapStart();
        encoder.setItemCount(0);
        encoder.writeMapEnd();
        encoder.writeString(FlumeProtocol.APPEND_BATCH);
        Schema parameters = FlumeProtocol.PROTOCOL.getMessages().get(FlumeProtocol.APPEND_BATCH).getRequest();
        new GenericDatumWriter<Object>(parameters).write(FlumeProtocol.appendBatchRequest(batch), encoder);
        encoder.flush();
        return out.getBufferList();
    }

    /** Fails the run if a variant does not deliver the batch that was written, or does not answer OK. */
    private void checkEveryPathReadsTheBatch() throws IOException {
        List<byte[]> expected = BenchmarkEvents.bodies(events);
        sluiceDirect();
        checkSluice(expected, "sluiceDirect");
        sluiceProcessor.last = null;
        List<ByteBuffer> answer = sluiceGeneric();
        checkSluice(expected, "sluiceGeneric");
        checkOk(answer, "sluiceGeneric");
        answer = flumeSpecific();
        checkOk(answer, "flumeSpecific");
        List<org.apache.flume.Event> flume = flumeProcessor.last;
        if (flume == null || flume.size() != events) {
            throw new IllegalStateException("flumeSpecific delivered " + (flume == null ? 0 : flume.size()));
        }
        for (int i = 0; i < events; i++) {
            if (!Arrays.equals(expected.get(i), flume.get(i).getBody())
                    || !BenchmarkEvents.HEADER_VALUE.equals(flume.get(i).getHeaders().get(BenchmarkEvents.HEADER))) {
                throw new IllegalStateException("flumeSpecific read event " + i + " wrong");
            }
        }
    }

    private void checkSluice(List<byte[]> expected, String variant) {
        List<Event> got = sluiceProcessor.last;
        if (got == null || got.size() != events) {
            throw new IllegalStateException(variant + " delivered " + (got == null ? 0 : got.size()));
        }
        for (int i = 0; i < events; i++) {
            if (!Arrays.equals(expected.get(i), got.get(i).getBody())
                    || !BenchmarkEvents.HEADER_VALUE.equals(got.get(i).getHeaders().get(BenchmarkEvents.HEADER))) {
                throw new IllegalStateException(variant + " read event " + i + " wrong");
            }
        }
    }

    /** Avro's answer after the handshake: no metadata, no error, Status OK (index 0). */
    private static void checkOk(List<ByteBuffer> answer, String variant) {
        ByteBuffer all = ByteBuffer.allocate((int) Frames.size(answer));
        for (ByteBuffer buffer : answer) {
            all.put(buffer.duplicate());
        }
        if (!Arrays.equals(all.array(), new byte[] {0, 0, 0})) {
            throw new IllegalStateException(variant + " did not answer OK: " + Arrays.toString(all.array()));
        }
    }

    @Benchmark
    public List<ByteBuffer> sluiceDirect() {
        DirectCall call = DirectCall.read(frame, DecodeBudget.forRequest("avro request",
                DecodeBudget.DEFAULT_MAX_EVENTS, RequestGuard.size(frame)));
        return delivery.deliver(call.message(), call.events()) ? FlumeProtocol.OK_ANSWER
                : FlumeProtocol.FAILED_ANSWER;
    }

    @Benchmark
    public List<ByteBuffer> sluiceGeneric() throws IOException {
        List<ByteBuffer> request = Frames.duplicates(frame);
        DecodeBudget budget = DecodeBudget.forRequest("avro request", DecodeBudget.DEFAULT_MAX_EVENTS,
                RequestGuard.size(request));
        RequestGuard.check(request, false, budget);
        return genericResponder.respondBounded(request, sluiceConnection, budget);
    }

    @Benchmark
    public List<ByteBuffer> flumeSpecific() throws IOException {
        return flumeResponder.respond(Frames.duplicates(frame), flumeConnection);
    }
}
