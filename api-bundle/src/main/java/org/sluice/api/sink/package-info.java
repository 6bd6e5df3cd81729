/**
 * Sinks, driven by the platform's sink runner, and the sink processors that decide which sink of a group runs.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.sluice.api.sink;
