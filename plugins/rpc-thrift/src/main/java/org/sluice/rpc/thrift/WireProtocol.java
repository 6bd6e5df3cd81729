package org.sluice.rpc.thrift;

import java.util.Locale;

import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TProtocolFactory;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;

/** The two Thrift encodings Flume offers (key {@code protocol}); both ends of a hop must agree. */
enum WireProtocol {
    COMPACT {
        @Override
        TProtocolFactory factory() {
            return new TCompactProtocol.Factory();
        }
    },
    BINARY {
        @Override
        TProtocolFactory factory() {
            return new TBinaryProtocol.Factory();
        }
    };

    abstract TProtocolFactory factory();

    static WireProtocol named(ComponentContext context, String key, String value) throws ConfigurationException {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "compact":
                return COMPACT;
            case "binary":
                return BINARY;
            default:
                throw context.configurationError(key, "'" + value + "' is not a Thrift protocol Flume speaks: use "
                        + "compact or binary");
        }
    }
}
