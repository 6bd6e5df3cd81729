package org.sluice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;

/**
 * Saved on-disk files of a durable channel, written by one version and read by every later one (Flume keeps
 * such samples too): a format change that strands users' events then fails a test instead of a start.
 *
 * <p>A sample is a directory of test resources holding the channel's files as that version left them and
 * {@value #EXPECTED}, the events a start on them must deliver, in order. This class copies a sample to a
 * scratch directory (a start writes into its directories) and writes and reads the expected events.
 */
public final class FormatSamples {
    /** The file in a sample directory listing the events a start must deliver. */
    public static final String EXPECTED = "expected-events.txt";

    private FormatSamples() {
    }

    /** The sample directory {@code resource} (for example {@code /formats/sluice-0.1.0/plain}) on the class path. */
    public static Path resource(Class<?> anchor, String resource) {
        URL url = anchor.getResource(resource);
        if (url == null) {
            throw new IllegalArgumentException("no sample " + resource + " on the test class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(url + " is not a file", e);
        }
    }

    /** Copies the sample directory {@code from} into {@code to}, which must not exist yet. */
    public static Path copy(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code events} as {@value #EXPECTED} of {@code sample}: one line per event, its body then its headers
     * as key=value, each URL-encoded (UTF-8) and tab-separated. Refuses to replace a sample's list.
     */
    public static void writeExpected(Path sample, List<Event> events) throws IOException {
        Path file = sample.resolve(EXPECTED);
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file + ": a saved sample is never rewritten; write a new one");
        }
        List<String> lines = new ArrayList<>();
        lines.add("# The events a start on this sample delivers, in order: body, then headers key=value,");
        lines.add("# each URL-encoded (UTF-8), separated by tabs.");
        for (Event event : events) {
            StringBuilder line = new StringBuilder(encode(new String(event.getBody(), StandardCharsets.UTF_8)));
            for (Map.Entry<String, String> header : new TreeMap<>(event.getHeaders()).entrySet()) {
                line.append('\t').append(encode(header.getKey())).append('=').append(encode(header.getValue()));
            }
            lines.add(line.toString());
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /** The expected events of {@code sample}, each as {@link #describe} gives it. */
    public static List<String> readExpected(Path sample) throws IOException {
        return describeLines(Files.readAllLines(sample.resolve(EXPECTED), StandardCharsets.UTF_8));
    }

    /**
     * Events written as lines of an {@value #EXPECTED} list (comments and blank lines skipped), each as
     * {@link #describe} gives it: also the lines another program printed in that format (Flume's, in the takeover
     * tests).
     */
    public static List<String> describeLines(List<String> lines) {
        List<String> events = new ArrayList<>();
        for (String line : lines) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t");
            Map<String, String> headers = new TreeMap<>();
            for (int i = 1; i < fields.length; i++) {
                int eq = fields[i].indexOf('=');
                headers.put(decode(fields[i].substring(0, eq)), decode(fields[i].substring(eq + 1)));
            }
            events.add(describe(decode(fields[0]), headers));
        }
        return events;
    }

    /**
     * Event {@code n} of a sample: headers of several kinds (an empty value, non-ASCII text) and bodies of several
     * sizes (empty, non-ASCII, a few hundred bytes).
     */
    public static Event event(int n) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "web-" + n % 3);
        headers.put("n", Integer.toString(n));
        if (n % 5 == 0) {
            headers.put("empty", "");
        }
        if (n % 7 == 3) {
            headers.put("city", "Z\u00fcrich \u2713");
        }
        String body = n % 11 == 10 ? "" : n % 9 == 4 ? "event-" + n + " " + "x".repeat(300)
                : "event-" + n + (n % 4 == 1 ? " \u00e9t\u00e9 \ud83d\ude00" : "");
        return EventBuilder.withBody(body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** An event as one comparable string: its body as UTF-8 text and its headers in key order. */
    public static String describe(Event event) {
        return describe(new String(event.getBody(), StandardCharsets.UTF_8), event.getHeaders());
    }

    /** Each event {@link #describe}d. */
    public static List<String> describe(List<Event> events) {
        return events.stream().map(FormatSamples::describe).toList();
    }

    private static String describe(String body, Map<String, String> headers) {
        return body + " " + new TreeMap<>(headers);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
