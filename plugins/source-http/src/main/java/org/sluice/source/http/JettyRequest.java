package org.sluice.source.http;

import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.sluice.api.source.http.HttpSourceRequest;

/** A Jetty request as a handler sees it, with its body already bounded and decoded. */
final class JettyRequest implements HttpSourceRequest {
    private final Request request;
    private final Charset charset;
    private final InputStream body;
    private Map<String, List<String>> parameters;

    JettyRequest(Request request, Charset charset, InputStream body) {
        this.request = request;
        this.charset = charset;
        this.body = body;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String path() {
        return request.getHttpURI().getPath();
    }

    @Override
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    @Override
    public Map<String, List<String>> parameters() {
        if (parameters == null) {
            Map<String, List<String>> map = new LinkedHashMap<>();
            for (Fields.Field field : Request.extractQueryParameters(request)) {
                map.put(field.getName(), List.copyOf(field.getValues()));
            }
            parameters = map;
        }
        return parameters;
    }

    /** The body's length as sent (its Content-Length), or -1 if it comes in chunks. */
    long length() {
        return request.getLength();
    }

    @Override
    public Charset charset() {
        return charset;
    }

    @Override
    public InputStream body() {
        return body;
    }
}
