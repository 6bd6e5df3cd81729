package org.sluice.itests.osgi.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reader of a NameNode's WebHDFS REST interface, for a probe that has no Hadoop classes and needs none: the
 * names in a directory and the content of a file (the NameNode redirects the read to a DataNode).
 */
public final class WebHdfs {

    private static final Pattern PATH_SUFFIX = Pattern.compile("\"pathSuffix\"\\s*:\\s*\"([^\"]*)\"");

    private final String http;

    /** {@code http}: the NameNode's HTTP address, {@code http://host:port}. */
    public WebHdfs(String http) {
        this.http = http;
    }

    /** The names of the entries of {@code directory}; empty if it does not exist. */
    public List<String> list(String directory) {
        List<String> names = new ArrayList<>();
        Matcher m = PATH_SUFFIX.matcher(get(directory, "LISTSTATUS"));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The content of a file as UTF-8 text; empty if it does not exist. */
    public String read(String path) {
        return get(path, "OPEN");
    }

    /** The content of a file; empty if it does not exist. */
    public byte[] readBytes(String path) {
        return getBytes(path, "OPEN");
    }

    private String get(String path, String op) {
        return new String(getBytes(path, op), StandardCharsets.UTF_8);
    }

    private byte[] getBytes(String path, String op) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(http + "/webhdfs/v1" + path + "?op=" + op
                    + "&user.name=" + System.getProperty("user.name")).openConnection();
            connection.setInstanceFollowRedirects(true);
            if (connection.getResponseCode() == 404) {
                return new byte[0];
            }
            try (InputStream in = connection.getInputStream()) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("WebHDFS " + op + " of " + path + " at " + http + " failed", e);
        }
    }
}
