package org.sluice.source.syslog;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;

/**
 * Reads the two syslog timestamp forms to milliseconds since the epoch, straight from the received bytes.
 *
 * <ul>
 * <li>RFC 3164, {@code Oct 11 22:14:15} or {@code Oct  1 22:14:15}: no year and no zone. It is local time of the
 * agent's zone (what {@code logger} and rsyslog write), in the year that puts it at most a month ahead of now and at
 * most eleven months behind, so a message of 31 December read on 1 January keeps its year.</li>
 * <li>RFC 5424, {@code 2003-10-11T22:14:15.003Z} or with an offset {@code +02:00}: up to nine fraction digits, cut to
 * milliseconds. Without an offset (RFC 5424 requires one) it is local time.</li>
 * </ul>
 *
 * <p>Messages arrive in bursts with the same second, so the last timestamp read is remembered with its value. One
 * instance per connection or datagram thread; not thread-safe.
 */
final class SyslogTimestamps {
    /** Unreadable. */
    static final long NONE = Long.MIN_VALUE;
    /** Length of {@code yyyy-MM-ddTHH:mm:ss}. */
    private static final int RFC5424_SECONDS_LENGTH = 19;
    private static final long CACHE_MILLIS = 60_000;
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private final Clock clock;
    private byte[] cachedKey = new byte[0];
    private long cachedValue;
    private long cachedAt;

    SyslogTimestamps(Clock clock) {
        this.clock = clock;
    }

    /**
     * The length of an RFC 3164 timestamp at {@code from} ({@code Mmm dd HH:mm:ss}, the day space-padded or not), or
     * -1 if there is none. Only its shape is checked here.
     */
    static int rfc3164Length(byte[] data, int from, int to) {
        if (to - from < 14 || !upper(data[from]) || !lower(data[from + 1]) || !lower(data[from + 2])
                || data[from + 3] != ' ') {
            return -1;
        }
        int p = from + 4;
        if (data[p] == ' ') {
            p++;
            if (!digit(data[p])) {
                return -1;
            }
            p++;
        } else {
            if (!digit(data[p])) {
                return -1;
            }
            p++;
            if (p < to && digit(data[p])) {
                p++;
            }
        }
        if (to - p < 9 || data[p] != ' ' || !digit(data[p + 1]) || !digit(data[p + 2]) || data[p + 3] != ':'
                || !digit(data[p + 4]) || !digit(data[p + 5]) || data[p + 6] != ':' || !digit(data[p + 7])
                || !digit(data[p + 8])) {
            return -1;
        }
        return p + 9 - from;
    }

    /** The milliseconds of an RFC 3164 timestamp of {@code length} bytes at {@code from}, or {@link #NONE}. */
    long rfc3164(byte[] data, int from, int length) {
        long cached = cached(data, from, length);
        if (cached != NONE) {
            return cached;
        }
        int month = MONTHS.indexOf(new String(data, from, 3, java.nio.charset.StandardCharsets.US_ASCII));
        if (month < 0 || month % 3 != 0) {
            return NONE;
        }
        month = month / 3 + 1;
        int p = from + 4;
        int day = 0;
        while (data[p] == ' ') {
            p++;
        }
        while (digit(data[p])) {
            day = day * 10 + (data[p++] - '0');
        }
        p++;
        int hour = twoDigits(data, p);
        int minute = twoDigits(data, p + 3);
        int second = twoDigits(data, p + 6);
        ZonedDateTime now = ZonedDateTime.now(clock);
        ZonedDateTime earliest = now.minusMonths(11);
        ZonedDateTime latest = now.plusMonths(1);
        for (int year = now.getYear() - 1; year <= now.getYear() + 1; year++) {
            ZonedDateTime candidate;
            try {
                candidate = LocalDateTime.of(year, month, day, hour, minute, second).atZone(clock.getZone());
            } catch (DateTimeException e) {
                continue; // 29 February of a year that has none, or no such day or hour at all
            }
            if (!candidate.isBefore(earliest) && !candidate.isAfter(latest)) {
                return remember(data, from, length, candidate.toInstant().toEpochMilli());
            }
        }
        return NONE;
    }

    /**
     * The length of an RFC 5424 timestamp at {@code from} (up to the next space or the end), or -1 if its shape is
     * not {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}][Z|+hh:mm|-hh:mm]}.
     */
    static int rfc5424Length(byte[] data, int from, int to) {
        int p = from;
        if (to - p < RFC5424_SECONDS_LENGTH) {
            return -1;
        }
        for (int i = 0; i < RFC5424_SECONDS_LENGTH; i++) {
            byte b = data[p + i];
            boolean ok = switch (i) {
                case 4, 7 -> b == '-';
                case 10 -> b == 'T';
                case 13, 16 -> b == ':';
                default -> digit(b);
            };
            if (!ok) {
                return -1;
            }
        }
        p += RFC5424_SECONDS_LENGTH;
        if (p < to && data[p] == '.') {
            int digits = 0;
            p++;
            while (p < to && digit(data[p]) && digits < 9) {
                p++;
                digits++;
            }
            if (digits == 0) {
                return -1;
            }
        }
        if (p < to && data[p] == 'Z') {
            p++;
        } else if (p < to && (data[p] == '+' || data[p] == '-')) {
            if (to - p < 6 || !digit(data[p + 1]) || !digit(data[p + 2]) || data[p + 3] != ':'
                    || !digit(data[p + 4]) || !digit(data[p + 5])) {
                return -1;
            }
            p += 6;
        }
        if (p < to && data[p] != ' ') {
            return -1;
        }
        return p - from;
    }

    /** The milliseconds of an RFC 5424 timestamp of {@code length} bytes at {@code from}, or {@link #NONE}. */
    long rfc5424(byte[] data, int from, int length) {
        int end = from + length;
        int p = from + RFC5424_SECONDS_LENGTH;
        int millis = 0;
        if (p < end && data[p] == '.') {
            p++;
            int digits = 0;
            while (p < end && digit(data[p])) {
                if (digits < 3) {
                    millis = millis * 10 + (data[p] - '0');
                }
                digits++;
                p++;
            }
            for (int i = digits; i < 3; i++) {
                millis *= 10;
            }
        }
        // The cache key is the timestamp without its fraction: the seconds and the offset.
        byte[] key = new byte[RFC5424_SECONDS_LENGTH + (end - p)];
        System.arraycopy(data, from, key, 0, RFC5424_SECONDS_LENGTH);
        System.arraycopy(data, p, key, RFC5424_SECONDS_LENGTH, end - p);
        long seconds = cached(key, 0, key.length);
        if (seconds == NONE) {
            try {
                LocalDateTime local = LocalDateTime.of(fourDigits(data, from), twoDigits(data, from + 5),
                        twoDigits(data, from + 8), twoDigits(data, from + 11), twoDigits(data, from + 14),
                        twoDigits(data, from + 17));
                if (p == end) {
                    seconds = local.atZone(clock.getZone()).toEpochSecond();
                } else if (data[p] == 'Z') {
                    seconds = local.toEpochSecond(ZoneOffset.UTC);
                } else {
                    int sign = data[p] == '-' ? -1 : 1;
                    seconds = local.toEpochSecond(ZoneOffset.ofHoursMinutes(sign * twoDigits(data, p + 1),
                            sign * twoDigits(data, p + 4)));
                }
            } catch (DateTimeException e) {
                return NONE;
            }
            remember(key, 0, key.length, seconds);
        }
        return seconds * 1000 + millis;
    }

    private long cached(byte[] data, int from, int length) {
        if (length == cachedKey.length && Arrays.equals(cachedKey, 0, length, data, from, from + length)
                && clock.millis() - cachedAt < CACHE_MILLIS) {
            return cachedValue;
        }
        return NONE;
    }

    private long remember(byte[] data, int from, int length, long value) {
        cachedKey = Arrays.copyOfRange(data, from, from + length);
        cachedValue = value;
        cachedAt = clock.millis();
        return value;
    }

    private static int twoDigits(byte[] data, int at) {
        return (data[at] - '0') * 10 + (data[at + 1] - '0');
    }

    private static int fourDigits(byte[] data, int at) {
        return twoDigits(data, at) * 100 + twoDigits(data, at + 2);
    }

    static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean upper(byte b) {
        return b >= 'A' && b <= 'Z';
    }

    private static boolean lower(byte b) {
        return b >= 'a' && b <= 'z';
    }
}
