/**
 * Counters with Flume's names, kept by the platform per component and published over JMX and HTTP.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.sluice.api.counter;
