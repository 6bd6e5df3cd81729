package org.sluice.source.syslog;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;

/**
 * Turns one syslog message (the bytes of one line, frame or datagram, without its delimiter) into an event with
 * Flume 1.11's headers, RFC 3164 and RFC 5424 alike:
 *
 * <pre>
 * &lt;PRI&gt;[VERSION SP]TIMESTAMP SP HOSTNAME SP MESSAGE
 * </pre>
 *
 * <p>Headers: {@code Facility} and {@code Severity} (from PRI), the priority and version as received (named as the
 * {@link Dialect} names them), {@code timestamp} (milliseconds since the epoch, {@link SyslogTimestamps}) and
 * {@code host}. The body is MESSAGE, with the fields {@link KeepFields} names in front, or the whole message if it
 * keeps all. The body's bytes are the received bytes: nothing is decoded and encoded again.
 *
 * <p>A message without {@code <PRI>} is marked {@code flume.syslog.status = Invalid} with the whole message as body;
 * one whose timestamp or host cannot be read is Invalid too for multiport, and passed on whole with Facility and
 * Severity for the others, as in Flume. A message that was cut at the event size is marked {@code Incomplete}.
 *
 * <p>One instance per connection (or datagram thread): not thread-safe.
 */
final class SyslogParser {
    private static final int MAX_HOST_BYTES = 255;

    private final Dialect dialect;
    private final KeepFields keep;
    private final Charset charset;
    private final CharsetDecoder validator;
    private final SyslogTimestamps timestamps;
    private final Clock clock;
    private boolean lastInvalid;

    /**
     * @param charset  the charset of the text: host names are decoded with it, and for multiport a message that is
     *                 not valid in it is Invalid, as in Flume
     * @param clock    the time and zone that RFC 3164 timestamps (and RFC 5424 ones without an offset) are read in
     */
    SyslogParser(Dialect dialect, KeepFields keep, Charset charset, Clock clock) {
        this.dialect = dialect;
        this.keep = keep;
        this.charset = charset;
        this.clock = clock;
        this.timestamps = new SyslogTimestamps(clock);
        this.validator = dialect == Dialect.MULTIPORT
                ? charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                : null;
    }

    /** Whether the last message parsed was marked Invalid. */
    boolean lastInvalid() {
        return lastInvalid;
    }

    /**
     * The event of the message {@code data[from, to)}.
     *
     * @param incomplete the message was cut at the event size
     */
    Event parse(byte[] data, int from, int to, boolean incomplete) {
        lastInvalid = false;
        if (validator != null && !decodes(data, from, to)) {
            return invalid(data, from, to);
        }
        int p = from;
        if (p >= to || data[p] != '<') {
            return invalid(data, from, to);
        }
        p++;
        int priority = 0;
        int digits = 0;
        while (p < to && SyslogTimestamps.digit(data[p]) && digits < 3) {
            priority = priority * 10 + (data[p++] - '0');
            digits++;
        }
        if (digits == 0 || p >= to || data[p] != '>') {
            return invalid(data, from, to);
        }
        int priorityEnd = p;
        p++;
        Map<String, String> headers = new HashMap<>(16);
        headers.put(Dialect.FACILITY, Integer.toString(priority / 8));
        headers.put(Dialect.SEVERITY, Integer.toString(priority % 8));
        if (incomplete) {
            headers.put(Dialect.STATUS, Dialect.INCOMPLETE);
        }

        // VERSION SP (RFC 5424); a space alone after PRI is tolerated, as Flume's syslogtcp does.
        int versionAt = -1;
        if (to - p >= 2 && SyslogTimestamps.digit(data[p]) && data[p + 1] == ' ') {
            versionAt = p;
            p += 2;
        } else if (p < to && data[p] == ' ') {
            p++;
        }

        // TIMESTAMP SP
        int timestampAt = p;
        long millis;
        int length;
        if (p < to && data[p] == '-' && (p + 1 == to || data[p + 1] == ' ')) {
            length = 1;
            millis = dialect.nilTimestampIsNow() ? clock.millis() : SyslogTimestamps.NONE;
        } else if ((length = SyslogTimestamps.rfc3164Length(data, p, to)) > 0) {
            millis = timestamps.rfc3164(data, p, length);
        } else if ((length = SyslogTimestamps.rfc5424Length(data, p, to)) > 0) {
            millis = timestamps.rfc5424(data, p, length);
        } else {
            return unparsable(data, from, to, headers);
        }
        if (millis == SyslogTimestamps.NONE && length > 1 && dialect.invalidWhenUnparsable()) {
            return unparsable(data, from, to, headers);
        }
        p += length;
        if (p >= to || data[p] != ' ') {
            return unparsable(data, from, to, headers);
        }
        p++;

        // HOSTNAME, then SP MESSAGE (or nothing)
        int hostAt = p;
        while (p < to && data[p] != ' ' && p - hostAt <= MAX_HOST_BYTES) {
            if ((data[p] & 0xff) < 0x21 || data[p] == 0x7f) {
                return unparsable(data, from, to, headers);
            }
            p++;
        }
        int hostEnd = p;
        if (hostEnd == hostAt || hostEnd - hostAt > MAX_HOST_BYTES) {
            return unparsable(data, from, to, headers);
        }
        if (p >= to) {
            // No space after the host: neither of Flume's parsers reads such a message (syslogtcp's pattern wants
            // one, multiport finds no end of the host), so its headers are not read here either.
            return unparsable(data, from, to, headers);
        }
        int messageAt = p + 1;

        headers.put(dialect.priorityHeader(), new String(data, from + 1, digits, StandardCharsets.US_ASCII));
        if (versionAt >= 0) {
            headers.put(dialect.versionHeader(), new String(data, versionAt, 1, StandardCharsets.US_ASCII));
        }
        if (millis != SyslogTimestamps.NONE) {
            headers.put(Dialect.TIMESTAMP, Long.toString(millis));
        }
        boolean nilHost = hostEnd - hostAt == 1 && data[hostAt] == '-';
        if (!nilHost || dialect == Dialect.MULTIPORT) {
            headers.put(Dialect.HOST, new String(data, hostAt, hostEnd - hostAt, charset));
        }

        byte[] body;
        if (keep.all() || (messageAt >= to && (!keep.any() || !dialect.keepsFieldsBeforeAnEmptyMessage()))) {
            // Kept whole, or there is no message (and no field to keep before it): Flume's body is then the message as
            // received.
            body = Arrays.copyOfRange(data, from, to);
        } else if (keep.any()) {
            body = withKeptFields(data, from, priorityEnd, versionAt, timestampAt, length, hostAt, hostEnd,
                    messageAt, to);
        } else {
            body = Arrays.copyOfRange(data, messageAt, to);
        }
        return new SimpleEvent(body, headers);
    }

    /** MESSAGE with the kept fields in front, in the order they were received, as Flume writes them. */
    private byte[] withKeptFields(byte[] data, int from, int priorityEnd, int versionAt, int timestampAt,
            int timestampLength, int hostAt, int hostEnd, int messageAt, int to) {
        ByteArrayBuilder out = new ByteArrayBuilder(to - from);
        if (keep.priority()) {
            out.append(data, from, priorityEnd + 1);
        }
        if (keep.version() && versionAt >= 0) {
            out.append(data, versionAt, versionAt + 2);
        }
        if (keep.timestamp()) {
            out.append(data, timestampAt, timestampAt + timestampLength).append((byte) ' ');
        }
        if (keep.hostname()) {
            out.append(data, hostAt, hostEnd).append((byte) ' ');
        }
        return out.append(data, messageAt, to).toByteArray();
    }

    /** A message with a valid priority whose timestamp or host cannot be read. */
    private Event unparsable(byte[] data, int from, int to, Map<String, String> headers) {
        if (dialect.invalidWhenUnparsable()) {
            return invalid(data, from, to);
        }
        return new SimpleEvent(Arrays.copyOfRange(data, from, to), headers);
    }

    private Event invalid(byte[] data, int from, int to) {
        lastInvalid = true;
        Map<String, String> headers = new HashMap<>(8);
        if (dialect.facilityOnInvalid()) {
            headers.put(Dialect.FACILITY, "0");
            headers.put(Dialect.SEVERITY, "0");
        }
        headers.put(Dialect.STATUS, Dialect.INVALID);
        return new SimpleEvent(Arrays.copyOfRange(data, from, to), headers);
    }

    private boolean decodes(byte[] data, int from, int to) {
        try {
            validator.reset().decode(ByteBuffer.wrap(data, from, to - from));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** A growing byte array, for bodies with kept fields. */
    private static final class ByteArrayBuilder {
        private byte[] bytes;
        private int size;

        ByteArrayBuilder(int capacity) {
            bytes = new byte[Math.max(16, capacity)];
        }

        ByteArrayBuilder append(byte[] data, int from, int to) {
            int length = to - from;
            if (size + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
            }
            System.arraycopy(data, from, bytes, size, length);
            size += length;
            return this;
        }

        ByteArrayBuilder append(byte b) {
            return append(new byte[] {b}, 0, 1);
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
