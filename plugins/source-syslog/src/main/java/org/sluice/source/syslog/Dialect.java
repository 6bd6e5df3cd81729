package org.sluice.source.syslog;

/**
 * The two ways Flume 1.11's syslog sources turn a message into headers. {@code syslogtcp} and {@code syslogudp}
 * share one parser, {@code multiport_syslogtcp} has another, and users' interceptors and selectors rely on what
 * each writes: the header names differ in case, and so does what a message that does not parse becomes.
 */
enum Dialect {
    /** syslogtcp and syslogudp. */
    SINGLE_PORT("priority", "version") {
        @Override
        boolean facilityOnInvalid() {
            return true;
        }

        @Override
        boolean invalidWhenUnparsable() {
            return false;
        }

        @Override
        boolean nilTimestampIsNow() {
            return false;
        }

        @Override
        boolean keepsFieldsBeforeAnEmptyMessage() {
            return true;
        }
    },
    /** multiport_syslogtcp. */
    MULTIPORT("Priority", "Version") {
        @Override
        boolean facilityOnInvalid() {
            return false;
        }

        @Override
        boolean invalidWhenUnparsable() {
            return true;
        }

        @Override
        boolean nilTimestampIsNow() {
            return true;
        }

        @Override
        boolean keepsFieldsBeforeAnEmptyMessage() {
            return false;
        }
    };

    static final String FACILITY = "Facility";
    static final String SEVERITY = "Severity";
    static final String TIMESTAMP = "timestamp";
    static final String HOST = "host";
    /** Flume's header marking a message that was cut ({@link #INCOMPLETE}) or is not syslog ({@link #INVALID}). */
    static final String STATUS = "flume.syslog.status";
    static final String INVALID = "Invalid";
    static final String INCOMPLETE = "Incomplete";

    private final String priorityHeader;
    private final String versionHeader;

    Dialect(String priorityHeader, String versionHeader) {
        this.priorityHeader = priorityHeader;
        this.versionHeader = versionHeader;
    }

    String priorityHeader() {
        return priorityHeader;
    }

    String versionHeader() {
        return versionHeader;
    }

    /** Whether a message without a valid priority still gets Facility and Severity (both 0). */
    abstract boolean facilityOnInvalid();

    /**
     * Whether a message with a valid priority whose timestamp or host cannot be read is marked Invalid (multiport),
     * or passed on whole, with Facility and Severity, unmarked (syslogtcp, syslogudp).
     */
    abstract boolean invalidWhenUnparsable();

    /** Whether RFC 5424's nil timestamp ("-") is the time of arrival (multiport) or no timestamp header at all. */
    abstract boolean nilTimestampIsNow();

    /**
     * Whether a message whose text is empty (its host followed by a space and nothing) gets the kept fields
     * ({@code keepFields}) as its body, or the whole message as received (multiport).
     */
    abstract boolean keepsFieldsBeforeAnEmptyMessage();
}
