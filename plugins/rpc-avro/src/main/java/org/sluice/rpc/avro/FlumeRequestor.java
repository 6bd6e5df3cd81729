package org.sluice.rpc.avro;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.io.Encoder;
import org.apache.avro.ipc.Transceiver;
import org.apache.avro.ipc.generic.GenericRequestor;
import org.sluice.api.event.Event;

/**
 * Avro's generic requestor (which keeps the handshake), writing an appendBatch's events straight into the
 * request's encoder instead of building a generic record of each event for Avro's generic writer to walk. The bytes
 * are those of Flume's protocol: an array of AvroFlumeEvent, each a map of string headers and a bytes body.
 */
final class FlumeRequestor extends GenericRequestor {
    /** The parameters of one appendBatch: its events, written by {@link #writeRequest}. */
    record AppendBatch(List<Event> events) {
    }

    FlumeRequestor(Transceiver transceiver) throws IOException {
        super(FlumeProtocol.PROTOCOL, transceiver);
    }

    @Override
    public void writeRequest(Schema schema, Object request, Encoder out) throws IOException {
        if (!(request instanceof AppendBatch batch)) {
            super.writeRequest(schema, request, out);
            return;
        }
        out.writeArrayStart();
        out.setItemCount(batch.events().size());
        for (Event event : batch.events()) {
            out.startItem();
            Map<String, String> headers = event.getHeaders();
            out.writeMapStart();
            out.setItemCount(headers.size());
            for (Map.Entry<String, String> header : headers.entrySet()) {
                out.startItem();
                out.writeString(header.getKey());
                out.writeString(header.getValue());
            }
            out.writeMapEnd();
            out.writeBytes(event.getBody());
        }
        out.writeArrayEnd();
    }
}
