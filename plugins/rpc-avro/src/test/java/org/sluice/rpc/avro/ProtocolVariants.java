package org.sluice.rpc.avro;

import org.apache.avro.Protocol;

/** Flume's protocol with a difference a client might bring: it still resolves against ours, but not byte for byte. */
final class ProtocolVariants {
    private ProtocolVariants() {
    }

    /** AvroFlumeEvent with a third field, {@code priority}, that our schema does not have. */
    static Protocol eventWithExtraField() {
        return Protocol.parse("""
                {"protocol": "AvroSourceProtocol", "namespace": "org.apache.flume.source.avro",
                 "types": [
                   {"type": "enum", "name": "Status", "symbols": ["OK", "FAILED", "UNKNOWN"]},
                   {"type": "record", "name": "AvroFlumeEvent", "fields": [
                     {"name": "headers", "type": {"type": "map", "values": "string"}},
                     {"name": "body", "type": "bytes"},
                     {"name": "priority", "type": "int", "default": 0}]}],
                 "messages": {
                   "append": {"request": [{"name": "event", "type": "AvroFlumeEvent"}], "response": "Status"},
                   "appendBatch": {"request": [{"name": "events",
                       "type": {"type": "array", "items": "AvroFlumeEvent"}}], "response": "Status"}}}
                """);
    }
}
