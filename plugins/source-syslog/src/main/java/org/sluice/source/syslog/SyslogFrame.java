package org.sluice.source.syslog;

/**
 * One syslog message as received on a stream, without its delimiter or length prefix.
 *
 * @param incomplete the message was longer than the event size and this is its first part
 */
record SyslogFrame(byte[] bytes, boolean incomplete) {
}
