/**
 * Interceptors: the chain a source's events pass through before the channel selector; they may modify or drop events.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.sluice.api.interceptor;
