/**
 * Channel selectors: which required and which optional channels an event goes to.
 *
 * <p>1.1.0: the contexts inherit {@code ComponentContext.lookup} (org.sluice.api.component 1.3.0).
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.sluice.api.selector;
