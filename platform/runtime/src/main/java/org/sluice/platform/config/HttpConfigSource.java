package org.sluice.platform.config;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A configuration served over HTTP or HTTPS ({@code --conf-uri https://...}), fetched as Flume 1.10+ fetches it:
 * a GET with basic authorization when {@code --conf-user} and {@code --conf-password} are given, and, once the
 * server has said when the text last changed ({@code Last-Modified}), {@code If-Modified-Since}, so that a poll
 * of an unchanged configuration transfers nothing (304). Connections and reads time out after 60 s, Flume's.
 *
 * <p>HTTPS uses the agent's TLS settings ({@code javax.net.ssl.trustStore}, {@code flume.ssl.*} and their
 * {@code FLUME_SSL_*} variables) and checks that the server's certificate names the host, as Flume does.
 * Unlike Flume, a status other than 200 and 304 is an error rather than "unchanged", so the log says why the
 * configuration is not updated; either way the running configuration is kept.
 */
final class HttpConfigSource implements ConfigSource {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final URI uri;
    private final String authorization;
    private final HttpClient client;
    private String lastModified;
    private byte[] body;

    /**
     * @param user     the user of basic authorization; none unless both it and {@code password} are non-empty
     * @param tls      the context and parameters HTTPS connections use; null for the JVM's defaults
     */
    HttpConfigSource(URI uri, String user, String password, SSLContext tls, SSLParameters parameters) {
        this.uri = uri;
        this.authorization = user == null || user.isEmpty() || password == null || password.isEmpty() ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (tls != null) {
            builder.sslContext(tls);
        }
        if (parameters != null) {
            builder.sslParameters(parameters);
        }
        this.client = builder.build();
    }

    @Override
    public String location() {
        return ConfigSources.withoutCredentials(uri);
    }

    @Override
    public synchronized byte[] read() throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (lastModified != null && body != null) {
            request.header("If-Modified-Since", lastModified);
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + location(), e);
        } catch (IOException e) {
            throw new IOException("cannot read " + location() + ": " + e, e);
        }
        switch (response.statusCode()) {
            case 200 -> {
                body = response.body();
                lastModified = response.headers().firstValue("Last-Modified").orElse(null);
                return body;
            }
            case 304 -> {
                if (body == null) {
                    throw new IOException(location() + " answered 304 Not Modified to a first request");
                }
                return body;
            }
            case 401 -> throw new IOException(location() + " refused the request: 401 Unauthorized"
                    + (authorization == null ? " (no --conf-user and --conf-password given)"
                            : " (check --conf-user and --conf-password)"));
            case 404 -> throw new IOException(location() + " does not exist: 404 Not Found");
            default -> throw new IOException(location() + " answered " + response.statusCode()
                    + statusText(response));
        }
    }

    private static String statusText(HttpResponse<byte[]> response) {
        Optional<String> type = response.headers().firstValue("Content-Type");
        if (type.isPresent() && type.get().startsWith("text/") && response.body().length > 0) {
            String message = new String(response.body(), StandardCharsets.UTF_8).strip();
            return ": " + (message.length() > 200 ? message.substring(0, 200) + "..." : message);
        }
        return "";
    }

    @Override
    public String toString() {
        return location();
    }
}
