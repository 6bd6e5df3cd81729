package org.sluice.itests.osgi.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.avro.Protocol;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.ipc.HandshakeResponse;
import org.apache.avro.ipc.generic.GenericRequestor;
import org.apache.avro.ipc.netty.NettyTransceiver;
import org.ops4j.pax.exam.options.CompositeOption;

/**
 * A plain Avro RPC client of Flume's AvroSourceProtocol, as any Flume client would send: Avro's generic
 * requestor over Avro's Netty transceiver. Its bundles (Avro, Netty, Jackson) are installed into the test
 * framework for the probe only, from the files Maven resolved ({@code sluice.itests.avro.client}).
 */
public final class AvroClient implements AutoCloseable {
    /** Flume's protocol, written out here rather than taken from the plugin, as a third-party client has it. */
    private static final Protocol PROTOCOL = Protocol.parse("{\"protocol\":\"AvroSourceProtocol\","
            + "\"namespace\":\"org.apache.flume.source.avro\",\"types\":["
            + "{\"type\":\"enum\",\"name\":\"Status\",\"symbols\":[\"OK\",\"FAILED\",\"UNKNOWN\"]},"
            + "{\"type\":\"record\",\"name\":\"AvroFlumeEvent\",\"fields\":["
            + "{\"name\":\"headers\",\"type\":{\"type\":\"map\",\"values\":\"string\"}},"
            + "{\"name\":\"body\",\"type\":\"bytes\"}]}],"
            + "\"messages\":{"
            + "\"append\":{\"request\":[{\"name\":\"event\",\"type\":\"AvroFlumeEvent\"}],\"response\":\"Status\"},"
            + "\"appendBatch\":{\"request\":[{\"name\":\"events\",\"type\":{\"type\":\"array\","
            + "\"items\":\"AvroFlumeEvent\"}}],\"response\":\"Status\"}}}");

    private final NettyTransceiver transceiver;
    private final GenericRequestor requestor;

    private AvroClient(NettyTransceiver transceiver) throws IOException {
        this.transceiver = transceiver;
        this.requestor = new GenericRequestor(PROTOCOL, transceiver);
    }

    /** The client's bundles, as Pax Exam options. */
    public static CompositeOption bundles() {
        return SluiceOptions.bundlesListedIn("sluice.itests.avro.client");
    }

    /**
     * Connects. Avro's requestor makes its handshake records through the thread context class loader, and
     * Netty's threads inherit the loader of the thread that creates them: both are set to the loader of the
     * client's Avro bundle here (the test JVM's class path has another copy of Avro).
     */
    public static AvroClient connect(int port) throws IOException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(HandshakeResponse.class.getClassLoader());
        try {
            return new AvroClient(new NettyTransceiver(new InetSocketAddress("127.0.0.1", port), 10_000));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Sends one appendBatch of events with the given bodies and headers; returns the source's status. */
    public String appendBatch(List<String> bodies, Map<String, String> headers) throws Exception {
        Schema request = PROTOCOL.getMessages().get("appendBatch").getRequest();
        Schema eventSchema = PROTOCOL.getType("org.apache.flume.source.avro.AvroFlumeEvent");
        GenericData.Array<GenericRecord> events = new GenericData.Array<>(bodies.size(),
                request.getField("events").schema());
        for (String body : bodies) {
            GenericRecord event = new GenericData.Record(eventSchema);
            event.put("headers", headers);
            event.put("body", ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
            events.add(event);
        }
        GenericRecord call = new GenericData.Record(request);
        call.put("events", events);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(HandshakeResponse.class.getClassLoader());
        try {
            return String.valueOf(requestor.request("appendBatch", call));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public void close() {
        transceiver.close();
    }
}
