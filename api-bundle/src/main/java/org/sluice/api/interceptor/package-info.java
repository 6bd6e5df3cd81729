/**
 * Interceptors: the chain a source's events pass through before the channel selector; they may modify or drop events.
 *
 * <p>1.1.0: {@link org.sluice.api.interceptor.HeaderValueSerializer} and its factory, the named parts of
 * regex_extractor that a plugin may provide.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.sluice.api.interceptor;
