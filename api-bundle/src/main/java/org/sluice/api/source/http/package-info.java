/**
 * The handlers of the {@code http} source: what turns one HTTP request into events. Flume's {@code JSONHandler} and
 * {@code BlobHandler} are built into the source; a handler of one's own ({@code handler = com.example.MyHandler}) is
 * an {@link org.sluice.api.source.http.HttpSourceHandlerFactory} service another bundle registers under that name.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.sluice.api.source.http;
