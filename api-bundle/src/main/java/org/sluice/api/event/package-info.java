/**
 * Events: a map of string headers and a byte body, the unit that flows from sources through channels to sinks.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.sluice.api.event;
