/**
 * A durable append-only log for plugins that keep events on disk (the file channel, the spillable channel's
 * overflow): {@link org.sluice.support.log.AppendLog} keeps the files of one log across its directories and
 * appends to them with group commit ({@link org.sluice.support.log.LogFile}); {@link
 * org.sluice.support.log.RecordFraming} frames and checks records and walks a file past damage; {@link
 * org.sluice.support.log.EventCodec} writes an event's headers and body. What the records mean, and how a
 * start rebuilds its queue from them, stays with each plugin. Compiled into each plugin bundle that uses it (bnd
 * {@code -conditionalpackage}); never exported.
 */
package org.sluice.support.log;
