package org.sluice.source.http;

import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;

import org.sluice.api.source.http.HttpSourceRequest;

/** A POST to {@code /} with only a body and its charset, as a handler sees it: for tests of handlers alone. */
record PostedBody(InputStream body, Charset charset) implements HttpSourceRequest {
    @Override
    public String method() {
        return "POST";
    }

    @Override
    public String path() {
        return "/";
    }

    @Override
    public String header(String name) {
        return null;
    }

    @Override
    public Map<String, List<String>> parameters() {
        return Map.of();
    }
}
