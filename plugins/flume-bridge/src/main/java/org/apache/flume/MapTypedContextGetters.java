package org.apache.flume;

import java.util.Map;

/**
 * {@link Context}'s two map getters as Flume 1.10 and later declare them, returning {@code java.util.Map}. Context
 * declares them returning Guava's {@code ImmutableMap}, as Flume 1.9 and earlier did, and overrides these: the
 * compiler then gives Context both methods, so a plugin compiled against either declaration finds the one it calls.
 */
interface MapTypedContextGetters {

    Map<String, String> getParameters();

    Map<String, String> getSubProperties(String prefix);
}
