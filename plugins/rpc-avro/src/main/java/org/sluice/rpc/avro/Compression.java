package org.sluice.rpc.avro;

import java.util.Locale;

import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;

/** The compression keys source and sink share. */
final class Compression {
    private Compression() {
    }

    /** True for deflate, false for none; anything else names compression-type. */
    static boolean deflate(ComponentContext context, String type) throws ConfigurationException {
        switch (type.trim().toLowerCase(Locale.ROOT)) {
            case "none":
                return false;
            case "deflate":
                return true;
            default:
                throw context.configurationError("compression-type", "must be none or deflate, was '" + type + "'");
        }
    }
}
