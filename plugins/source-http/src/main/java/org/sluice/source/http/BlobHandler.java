package org.sluice.source.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;
import org.sluice.api.source.http.HttpSourceHandler;
import org.sluice.api.source.http.HttpSourceRequest;

/**
 * Flume's {@code BlobHandler}: the whole body is one event, its headers the request's query parameters (the first
 * value of each). A body longer than {@code handler.maxBlobLength} is cut there, as in Flume.
 */
final class BlobHandler implements HttpSourceHandler {
    /** Flume's class name, the value of {@code handler} that selects this handler. */
    static final String FLUME_NAME = "org.apache.flume.sink.solr.morphline.BlobHandler";
    static final int DEFAULT_MAX_BLOB_LENGTH = 100_000_000;
    private static final Logger LOG = LoggerFactory.getLogger(FLUME_NAME);

    private final int maxBlobLength;

    BlobHandler(int maxBlobLength) {
        this.maxBlobLength = maxBlobLength;
    }

    @Override
    public List<Event> getEvents(HttpSourceRequest request) throws IOException {
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, List<String>> parameter : request.parameters().entrySet()) {
            if (!parameter.getValue().isEmpty()) {
                headers.put(parameter.getKey(), parameter.getValue().get(0));
            }
        }
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        InputStream in = request.body();
        for (int n; blob.size() < maxBlobLength
                && (n = in.read(buffer, 0, Math.min(buffer.length, maxBlobLength - blob.size()))) >= 0; ) {
            blob.write(buffer, 0, n);
        }
        if (blob.size() >= maxBlobLength && in.read() >= 0) {
            LOG.warn("A request body is longer than handler.maxBlobLength ({} bytes); its event is cut there",
                    maxBlobLength);
        }
        return List.of(new SimpleEvent(blob.toByteArray(), headers));
    }
}
