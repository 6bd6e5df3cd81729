package org.sluice.rpc.avro;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.ipc.generic.GenericRequestor;
import org.apache.avro.ipc.specific.SpecificRequestor;
import org.apache.avro.util.ByteBufferOutputStream;
import org.apache.flume.source.avro.AvroFlumeEvent;
import org.apache.flume.source.avro.AvroSourceProtocol;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sluice.api.event.Event;
import org.sluice.jmh.BenchmarkEvents;
import org.sluice.jmh.HandshakenConnection;

/**
 * The parameters of one appendBatch call written by the avro sink into Avro's binary encoder, over a
 * ByteBufferOutputStream as Avro's requestor writes a call (the call's metadata and message name before them are
 * the same few bytes for every variant and are left out):
 * <ul>
 * <li>{@code sluiceRequestor}: Sluice's {@link FlumeRequestor#writeRequest}, the events written field by field;</li>
 * <li>{@code sluiceGenericRecords}: the generic way (what Sluice's sink did before), a generic record per event
 * walked by Avro's GenericDatumWriter through GenericRequestor;</li>
 * <li>{@code flumeSpecific}: Apache Flume 1.11.0's way: each event turned into an AvroFlumeEvent (body wrapped,
 * headers copied into a map of CharSequence, as Flume's NettyAvroRpcClient does) and written by Avro's
 * SpecificRequestor (a SpecificDatumWriter).</li>
 * </ul>
 * The setup checks that all three write the same bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AvroSinkEncodingBenchmark {
    @Param({"100", "1000"})
    public int events;

    private List<Event> sluiceEvents;
    private List<org.apache.flume.Event> flumeEvents;
    private Schema sluiceSchema;
    private Schema flumeSchema;
    private FlumeRequestor sluiceRequestor;
    private GenericRequestor genericRequestor;
    private SpecificRequestor flumeRequestor;
    private BinaryEncoder encoder;

    @Setup
    public void setUp() throws IOException {
        sluiceEvents = BenchmarkEvents.sluice(events);
        flumeEvents = BenchmarkEvents.flume(events);
        sluiceSchema = FlumeProtocol.PROTOCOL.getMessages().get(FlumeProtocol.APPEND_BATCH).getRequest();
        flumeSchema = AvroSourceProtocol.PROTOCOL.getMessages().get("appendBatch").getRequest();
        // Requestors do no I/O until a call is made; none is made here.
        sluiceRequestor = new FlumeRequestor(new HandshakenConnection(FlumeProtocol.PROTOCOL));
        genericRequestor = new GenericRequestor(FlumeProtocol.PROTOCOL,
                new HandshakenConnection(FlumeProtocol.PROTOCOL));
        flumeRequestor = new SpecificRequestor(AvroSourceProtocol.class,
                new HandshakenConnection(AvroSourceProtocol.PROTOCOL));

        byte[] sluice = bytes(sluiceRequestor());
        byte[] generic = bytes(sluiceGenericRecords());
        byte[] flume = bytes(flumeSpecific());
        if (!java.util.Arrays.equals(sluice, generic) || !java.util.Arrays.equals(sluice, flume)) {
            throw new IllegalStateException("the three writers wrote different bytes: " + sluice.length + ", "
                    + generic.length + ", " + flume.length);
        }
    }

    private static byte[] bytes(List<ByteBuffer> buffers) {
        int size = 0;
        for (ByteBuffer buffer : buffers) {
            size += buffer.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer buffer : buffers) {
            all.put(buffer.duplicate());
        }
        return all.array();
    }

    @Benchmark
    public List<ByteBuffer> sluiceRequestor() throws IOException {
        ByteBufferOutputStream out = new ByteBufferOutputStream();
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        sluiceRequestor.writeRequest(sluiceSchema, new FlumeRequestor.AppendBatch(sluiceEvents), encoder);
        encoder.flush();
        return out.getBufferList();
    }

    @Benchmark
    public List<ByteBuffer> sluiceGenericRecords() throws IOException {
        ByteBufferOutputStream out = new ByteBufferOutputStream();
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        genericRequestor.writeRequest(sluiceSchema, FlumeProtocol.appendBatchRequest(sluiceEvents), encoder);
        encoder.flush();
        return out.getBufferList();
    }

    @Benchmark
    public List<ByteBuffer> flumeSpecific() throws IOException {
        ByteBufferOutputStream out = new ByteBufferOutputStream();
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        List<AvroFlumeEvent> batch = new ArrayList<>(flumeEvents.size());
        for (org.apache.flume.Event event : flumeEvents) {
            AvroFlumeEvent avroEvent = new AvroFlumeEvent();
            avroEvent.setBody(ByteBuffer.wrap(event.getBody()));
            avroEvent.setHeaders(new HashMap<CharSequence, CharSequence>(event.getHeaders()));
            batch.add(avroEvent);
        }
        flumeRequestor.writeRequest(flumeSchema, new Object[] {batch}, encoder);
        encoder.flush();
        return out.getBufferList();
    }
}
