/**
 * Sources: event-driven ones run their own threads, pollable ones are driven by the platform's runner; both hand events to the platform's channel processor.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.sluice.api.source;
