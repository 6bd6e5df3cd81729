package org.sluice.api.source.http;

import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** One HTTP request to the http source, as its handler sees it. */
@ProviderType
public interface HttpSourceRequest {

    /** {@code POST} or {@code GET}. */
    String method();

    /** The path the request was sent to, without its query. */
    String path();

    /** The value of a request header (the first if it is repeated), or null. */
    String header(String name);

    /** The query parameters, each with its values in the order sent. */
    Map<String, List<String>> parameters();

    /** The charset of the {@code Content-Type} header, or null if it names none. */
    Charset charset();

    /**
     * The body, already decoded from its {@code Content-Encoding} (gzip). Reading beyond the source's
     * {@code max-request-size} throws an {@link java.io.IOException} and the client gets 413.
     */
    InputStream body();
}
