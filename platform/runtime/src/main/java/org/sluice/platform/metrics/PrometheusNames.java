package org.sluice.platform.metrics;

import java.util.Locale;

import org.sluice.api.component.ComponentKind;

/**
 * The rule that names a Flume counter in Prometheus, documented in docs/monitoring.md. One rule for Flume's own
 * counters and for those a plugin adds, so a new counter needs no code here:
 *
 * <ol>
 * <li>The prefix is {@code flume_} and Flume's counter group in lower case: {@code flume_source},
 * {@code flume_channel}, {@code flume_sink}, {@code flume_sink_processor}, {@code flume_interceptor},
 * {@code flume_channel_processor} ({@link FlumeMBeanNames#flumeType}).</li>
 * <li>The counter's name in snake case follows, without a trailing {@code Count} and without a leading word
 * that repeats the group ({@code ChannelSize} of a channel is {@code size}).</li>
 * <li>A counter ends in {@code _total} (written by the library from the family's type): every name ending in
 * {@code Count}, {@code Fail}, {@code Error}, {@code Errors} or {@code Timer} but {@code OpenConnectionCount}.
 * Every other name is a gauge ({@code ChannelSize}, {@code ChannelCapacity}, {@code OpenConnectionCount}).</li>
 * <li>{@code StartTime} and {@code StopTime} (milliseconds since the epoch, 0 when not stopped) are gauges in
 * seconds: {@code flume_source_start_time_seconds}.</li>
 * </ol>
 *
 * <p>So {@code EventReceivedCount} of a source is {@code flume_source_event_received_total} and
 * {@code ChannelSize} of a channel {@code flume_channel_size}.
 */
final class PrometheusNames {

    /** A Flume counter's family: its name (without {@code _total}), whether it is a counter, its scale. */
    record Family(String name, boolean counter, double scale) {
    }

    static final String START_TIME = "StartTime";
    static final String STOP_TIME = "StopTime";
    private static final String OPEN_CONNECTIONS = "OpenConnectionCount";

    private PrometheusNames() {
    }

    /** {@code flume_source}: the prefix of a kind's families. */
    static String prefix(ComponentKind kind) {
        return "flume_" + FlumeMBeanNames.flumeType(kind).toLowerCase(Locale.ROOT);
    }

    /** The family of one of a component's counters. */
    static Family family(ComponentKind kind, String counter) {
        String prefix = prefix(kind);
        if (counter.equals(START_TIME) || counter.equals(STOP_TIME)) {
            return new Family(prefix + "_" + snakeCase(counter) + "_seconds", false, 0.001);
        }
        String words = counter;
        if (words.endsWith("Count") && words.length() > "Count".length()) {
            words = words.substring(0, words.length() - "Count".length());
        }
        String group = groupWord(kind);
        if (words.startsWith(group) && words.length() > group.length()
                && Character.isUpperCase(words.charAt(group.length()))) {
            words = words.substring(group.length());
        }
        return new Family(prefix + "_" + snakeCase(words), isCounter(counter), 1);
    }

    /** Whether Flume's or a plugin's counter only grows (see the class comment). */
    static boolean isCounter(String counter) {
        if (counter.equals(OPEN_CONNECTIONS)) {
            return false;
        }
        return counter.endsWith("Count") || counter.endsWith("Fail") || counter.endsWith("Error")
                || counter.endsWith("Errors") || counter.endsWith("Timer");
    }

    /** The word that names the group in Flume's counter names: Source, Channel, Sink. */
    private static String groupWord(ComponentKind kind) {
        return switch (kind) {
            case SOURCE -> "Source";
            case CHANNEL -> "Channel";
            case SINK -> "Sink";
            default -> "\0";
        };
    }

    /**
     * {@code EventReceived} to {@code event_received}, {@code HDFSWrite} to {@code hdfs_write}; every character
     * that is not a letter or a digit becomes {@code _}, and a name that would start with a digit gets one before.
     */
    static String snakeCase(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 128 && Character.isLetterOrDigit(c)) {
                if (Character.isUpperCase(c) && i > 0 && startsWord(name, i)) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append('_');
            }
        }
        String snake = out.toString().replaceAll("_+", "_");
        if (snake.startsWith("_")) {
            snake = snake.substring(1);
        }
        if (snake.endsWith("_")) {
            snake = snake.substring(0, snake.length() - 1);
        }
        if (snake.isEmpty() || Character.isDigit(snake.charAt(0))) {
            snake = "_" + snake;
        }
        return snake;
    }

    /** An upper-case letter begins a word after a lower-case letter or digit, or before one in an acronym. */
    private static boolean startsWord(String name, int i) {
        char before = name.charAt(i - 1);
        if (Character.isLowerCase(before) || Character.isDigit(before)) {
            return true;
        }
        return Character.isUpperCase(before) && i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
    }
}
