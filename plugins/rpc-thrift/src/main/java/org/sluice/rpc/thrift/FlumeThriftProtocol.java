package org.sluice.rpc.thrift;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.thrift.TApplicationException;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TList;
import org.apache.thrift.protocol.TMap;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolException;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.protocol.TStruct;
import org.apache.thrift.protocol.TType;
import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;
import org.sluice.support.guard.DecodeBudget;

/**
 * Flume's Thrift RPC protocol, read and written directly on a {@link TProtocol} rather than through classes
 * generated from an IDL, so the bundle carries no generated code and no Thrift compiler is needed:
 *
 * <pre>
 * struct ThriftFlumeEvent { 1: required map&lt;string, string&gt; headers, 2: required binary body }
 * enum Status { OK, FAILED, ERROR, UNKNOWN }
 * service ThriftSourceProtocol {
 *   Status append(1: ThriftFlumeEvent event),
 *   Status appendBatch(1: list&lt;ThriftFlumeEvent&gt; events)
 * }
 * </pre>
 *
 * The names, field ids and types are what Thrift's compiler gives Flume's IDL, so Flume's generated
 * clients and servers read what this writes and the other way round.
 */
final class FlumeThriftProtocol {
    static final String APPEND = "append";
    static final String APPEND_BATCH = "appendBatch";

    /** The Status enum's values on the wire. */
    enum Status {
        OK, FAILED, ERROR, UNKNOWN;

        static Status of(int wire) {
            Status[] all = values();
            return wire >= 0 && wire < all.length ? all[wire] : UNKNOWN;
        }
    }

    private static final TStruct EVENT = new TStruct("ThriftFlumeEvent");
    private static final TField HEADERS = new TField("headers", TType.MAP, (short) 1);
    private static final TField BODY = new TField("body", TType.STRING, (short) 2);
    private static final TField EVENT_ARG = new TField("event", TType.STRUCT, (short) 1);
    private static final TField EVENTS_ARG = new TField("events", TType.LIST, (short) 1);
    private static final TField SUCCESS = new TField("success", TType.I32, (short) 0);

    private FlumeThriftProtocol() {
    }

    // ---------------------------------------------------------------- calls (client side)

    /** Writes an appendBatch call: the sink's one request per batch. */
    static void writeAppendBatch(TProtocol out, int seqid, List<Event> events) throws TException {
        out.writeMessageBegin(new TMessage(APPEND_BATCH, TMessageType.CALL, seqid));
        out.writeStructBegin(new TStruct(APPEND_BATCH + "_args"));
        out.writeFieldBegin(EVENTS_ARG);
        out.writeListBegin(new TList(TType.STRUCT, events.size()));
        for (Event event : events) {
            writeEvent(out, event);
        }
        out.writeListEnd();
        out.writeFieldEnd();
        out.writeFieldStop();
        out.writeStructEnd();
        out.writeMessageEnd();
        out.getTransport().flush();
    }

    /** Reads the answer to the call {@code method} numbered {@code seqid}. */
    static Status readResult(TProtocol in, String method, int seqid) throws TException {
        TMessage message = in.readMessageBegin();
        if (message.type == TMessageType.EXCEPTION) {
            TApplicationException failure = TApplicationException.readFrom(in);
            in.readMessageEnd();
            throw failure;
        }
        if (message.seqid != seqid || !method.equals(message.name)) {
            throw new TApplicationException(TApplicationException.BAD_SEQUENCE_ID, "expected the answer to " + method
                    + " #" + seqid + ", got " + message.name + " #" + message.seqid);
        }
        Status status = null;
        in.readStructBegin();
        while (true) {
            TField field = in.readFieldBegin();
            if (field.type == TType.STOP) {
                break;
            }
            if (field.id == SUCCESS.id && field.type == TType.I32) {
                status = Status.of(in.readI32());
            } else {
                TProtocolUtil.skip(in, field.type);
            }
            in.readFieldEnd();
        }
        in.readStructEnd();
        in.readMessageEnd();
        if (status == null) {
            throw new TApplicationException(TApplicationException.MISSING_RESULT, method + " answered no status");
        }
        return status;
    }

    // ---------------------------------------------------------------- calls (server side)

    /**
     * Reads the arguments of a call whose message header was read: the events of an append (one) or an
     * appendBatch. Fields it does not know are skipped, as generated code does. What the events take is charged to
     * {@code budget}: a declared count before anything is read, headers and bodies as they are.
     *
     * @throws org.sluice.support.guard.RequestTooLargeException when the call exceeds the budget
     */
    static List<Event> readEventsArgument(TProtocol in, String method, DecodeBudget budget) throws TException {
        List<Event> events = null;
        in.readStructBegin();
        while (true) {
            TField field = in.readFieldBegin();
            if (field.type == TType.STOP) {
                break;
            }
            if (field.id == 1 && APPEND.equals(method) && field.type == TType.STRUCT) {
                budget.chargeEvent();
                events = List.of(readEvent(in, budget));
            } else if (field.id == 1 && APPEND_BATCH.equals(method) && field.type == TType.LIST) {
                TList list = in.readListBegin();
                if (list.elemType != TType.STRUCT) {
                    throw new TProtocolException(TProtocolException.INVALID_DATA, "appendBatch events are not structs");
                }
                budget.chargeEvents(list.size);
                List<Event> batch = new ArrayList<>(Math.min(list.size, 10_000));
                for (int i = 0; i < list.size; i++) {
                    batch.add(readEvent(in, budget));
                }
                in.readListEnd();
                events = batch;
            } else {
                TProtocolUtil.skip(in, field.type);
            }
            in.readFieldEnd();
        }
        in.readStructEnd();
        return events == null ? List.of() : events;
    }

    /** Writes the answer to {@code method} #{@code seqid}. */
    static void writeResult(TProtocol out, String method, int seqid, Status status) throws TException {
        out.writeMessageBegin(new TMessage(method, TMessageType.REPLY, seqid));
        out.writeStructBegin(new TStruct(method + "_result"));
        out.writeFieldBegin(SUCCESS);
        out.writeI32(status.ordinal());
        out.writeFieldEnd();
        out.writeFieldStop();
        out.writeStructEnd();
        out.writeMessageEnd();
        out.getTransport().flush();
    }

    /** Answers a call this protocol does not have, as Thrift's generated processors do. */
    static void writeUnknownMethod(TProtocol out, TMessage call) throws TException {
        TApplicationException unknown = new TApplicationException(TApplicationException.UNKNOWN_METHOD,
                "Invalid method name: '" + call.name + "'");
        out.writeMessageBegin(new TMessage(call.name, TMessageType.EXCEPTION, call.seqid));
        unknown.write(out);
        out.writeMessageEnd();
        out.getTransport().flush();
    }

    // ---------------------------------------------------------------- events

    static void writeEvent(TProtocol out, Event event) throws TException {
        Map<String, String> headers = event.getHeaders();
        out.writeStructBegin(EVENT);
        out.writeFieldBegin(HEADERS);
        out.writeMapBegin(new TMap(TType.STRING, TType.STRING, headers.size()));
        for (Map.Entry<String, String> header : headers.entrySet()) {
            out.writeString(header.getKey());
            out.writeString(header.getValue());
        }
        out.writeMapEnd();
        out.writeFieldEnd();
        out.writeFieldBegin(BODY);
        out.writeBinary(ByteBuffer.wrap(event.getBody()));
        out.writeFieldEnd();
        out.writeFieldStop();
        out.writeStructEnd();
    }

    /** An event, charged to {@code budget} (null: not charged, as on the sink's side). */
    static Event readEvent(TProtocol in, DecodeBudget budget) throws TException {
        Map<String, String> headers = null;
        byte[] body = null;
        in.readStructBegin();
        while (true) {
            TField field = in.readFieldBegin();
            if (field.type == TType.STOP) {
                break;
            }
            if (field.id == HEADERS.id && field.type == TType.MAP) {
                TMap map = in.readMapBegin();
                if (budget != null) {
                    budget.chargeHeaders(map.size);
                }
                headers = new HashMap<>(Math.max(4, Math.min(map.size, 1_000) * 2));
                for (int i = 0; i < map.size; i++) {
                    String key = in.readString();
                    String value = in.readString();
                    if (budget != null) {
                        budget.chargeString(key.length());
                        budget.chargeString(value.length());
                    }
                    headers.put(key, value);
                }
                in.readMapEnd();
            } else if (field.id == BODY.id && field.type == TType.STRING) {
                ByteBuffer bytes = in.readBinary();
                if (budget != null) {
                    budget.chargeBytes(bytes.remaining());
                }
                body = new byte[bytes.remaining()];
                bytes.get(body);
            } else {
                TProtocolUtil.skip(in, field.type);
            }
            in.readFieldEnd();
        }
        in.readStructEnd();
        // Both fields are required in Flume's IDL; its generated code refuses an event without them.
        if (headers == null || body == null) {
            throw new TProtocolException(TProtocolException.INVALID_DATA, "a ThriftFlumeEvent needs its "
                    + (headers == null ? "headers" : "body"));
        }
        return new SimpleEvent(body, headers);
    }
}
