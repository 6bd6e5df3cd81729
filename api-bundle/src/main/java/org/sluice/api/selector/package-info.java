/**
 * Channel selectors: which required and which optional channels an event goes to.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.sluice.api.selector;
