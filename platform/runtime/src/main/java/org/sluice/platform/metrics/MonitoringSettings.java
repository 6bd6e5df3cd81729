package org.sluice.platform.metrics;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.function.Function;

/**
 * Flume's monitoring switches, read as Flume reads them ({@code -Dflume.monitoring.type=http
 * -Dflume.monitoring.port=34545}), from framework properties or, failing those, system properties.
 *
 * <ul>
 * <li>{@code flume.monitoring.type}: {@code http} in any case, or Flume's class name
 * {@code org.apache.flume.instrumentation.http.HTTPMetricsServer}, turns the JSON reporter on. Flume's other
 * reporters ({@code ganglia}, a custom class) do not exist here: {@link #kind()} tells which was asked for.</li>
 * <li>{@code flume.monitoring.port}: default 41414, Flume's.</li>
 * <li>{@code flume.monitoring.bind}: the address to listen on. Flume has no such key and listens on every
 * interface; so does Sluice when it is not set ({@code 0.0.0.0}). Set it to {@code 127.0.0.1} to keep the
 * counters on the machine.</li>
 * </ul>
 *
 * @param kind    which reporter was asked for
 * @param type    the type as configured, for messages; null when not set
 * @param address where the HTTP reporter listens; null unless kind is HTTP
 */
public record MonitoringSettings(Kind kind, String type, InetSocketAddress address) {

    public static final String TYPE = "flume.monitoring.type";
    public static final String PORT = "flume.monitoring.port";
    public static final String BIND = "flume.monitoring.bind";
    public static final int DEFAULT_PORT = 41414;
    public static final String ANY_ADDRESS = "0.0.0.0";

    static final String FLUME_HTTP_CLASS = "org.apache.flume.instrumentation.http.HTTPMetricsServer";

    public enum Kind {
        /** No reporter: the counters are in JMX only, as in Flume without the property. */
        NONE,
        /** Flume's JSON over HTTP. */
        HTTP,
        /** A reporter Flume has and Sluice has not (Ganglia, a custom class). */
        UNSUPPORTED
    }

    /**
     * Reads the settings.
     *
     * @param property a property by name, null when not set
     * @throws IllegalArgumentException when the port is not a port number
     */
    public static MonitoringSettings read(Function<String, String> property) {
        String type = trimmed(property.apply(TYPE));
        if (type == null) {
            return new MonitoringSettings(Kind.NONE, null, null);
        }
        if (!type.toLowerCase(Locale.ENGLISH).equals("http") && !type.equals(FLUME_HTTP_CLASS)) {
            return new MonitoringSettings(Kind.UNSUPPORTED, type, null);
        }
        String portText = trimmed(property.apply(PORT));
        int port = DEFAULT_PORT;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(PORT + "=" + portText + " is not a port number (0 to 65535)");
            }
        }
        String bind = trimmed(property.apply(BIND));
        return new MonitoringSettings(Kind.HTTP, type, new InetSocketAddress(bind == null ? ANY_ADDRESS : bind, port));
    }

    private static String trimmed(String value) {
        if (value == null) {
            return null;
        }
        String t = value.trim();
        return t.isEmpty() ? null : t;
    }
}
