/**
 * Sources: event-driven ones run their own threads, pollable ones are driven by the platform's runner; both hand events to the platform's channel processor.
 *
 * <p>1.1.0: the contexts inherit {@code ComponentContext.lookup} (org.sluice.api.component 1.3.0).
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.sluice.api.source;
