package org.sluice.platform.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The places an agent's configuration is read from, in the order their keys are merged: Flume 1.10+'s
 * {@code --conf-uri} URIs first, then its {@code --conf-file} files, each later key overriding an earlier one.
 * The whole configuration is read or none of it: merging what could be read of it could start a half
 * configuration, or remove components the missing part defines.
 *
 * <p>With a backup directory ({@code --backup-directory}, Flume's) every configuration read is kept in
 * {@code <dir>/.<agent>.properties}, and an agent that cannot read its configuration when it starts (the server
 * is down) starts from that copy. Unlike Flume's, the copy holds the text as written, not the resolved values:
 * a secret taken from the environment or a config filter is never written to a file. It is readable by its owner
 * only.
 */
final class ConfigSources {

    /** Flume re-reads a configuration every 30 s; one served over HTTP every 300 s (Flume's defaults). */
    static final long FILE_POLL_SECONDS = 30;
    static final long HTTP_POLL_SECONDS = 300;

    private final List<ConfigSource> sources;
    private final Path backupFile;

    /** What was read: the texts in merge order, a digest of them, and a warning when it is the backup. */
    record Snapshot(List<ConfigText> texts, String identity, String warning) {
    }

    ConfigSources(List<ConfigSource> sources, Path backupFile) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no configuration source");
        }
        this.sources = List.copyOf(sources);
        this.backupFile = backupFile;
    }

    /**
     * The sources of {@link LaunchSettings}: each location is an absolute path or a URI ({@code file:},
     * {@code http:}, {@code https:}, {@code classpath:}, the last read from the configuration directory, which is
     * on Flume's class path).
     *
     * @throws IllegalArgumentException naming a location that is none of these
     */
    static ConfigSources of(LaunchSettings settings, SSLContext tls, SSLParameters parameters) {
        List<ConfigSource> sources = new ArrayList<>();
        for (String location : settings.sources()) {
            sources.add(source(location, settings, tls, parameters));
        }
        return new ConfigSources(sources, backupFile(settings));
    }

    /** The copy of the configuration last read ({@code --backup-directory}); null when none is kept. */
    static Path backupFile(LaunchSettings settings) {
        return settings.backupDirectory() == null ? null
                : settings.backupDirectory().resolve("." + settings.agent() + ".properties");
    }

    private static ConfigSource source(String location, LaunchSettings settings, SSLContext tls,
            SSLParameters parameters) {
        URI uri = uriOrNull(location);
        String scheme = uri == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null) {
            return new FileConfigSource(Path.of(location));
        }
        switch (scheme) {
            case "file":
                return new FileConfigSource(Path.of(uri));
            case "http":
            case "https":
                return new HttpConfigSource(uri, settings.user(), settings.password(), tls, parameters);
            case "classpath":
                return new FileConfigSource(classpathFile(uri, settings.confDirectory()));
            default:
                throw new IllegalArgumentException("'" + withoutCredentials(uri) + "' is not a configuration Sluice "
                        + "can read: use a file, or a file:, http:, https: or classpath: URI");
        }
    }

    /** A URI with a scheme, or null for a plain path (a Windows drive letter is a path, not a scheme). */
    static URI uriOrNull(String location) {
        int colon = location.indexOf(':');
        if (colon < 2 || location.startsWith("/")) {
            return null;
        }
        try {
            URI uri = new URI(location);
            return uri.getScheme() == null ? null : uri;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** Flume's three spellings: {@code classpath://name}, {@code classpath:/name}, {@code classpath:name}. */
    private static Path classpathFile(URI uri, Path confDirectory) {
        String name;
        if (uri.getPath() != null && !uri.getPath().isEmpty()) {
            name = uri.getPath().substring(1);
        } else if (uri.getAuthority() != null && !uri.getAuthority().isEmpty()) {
            name = uri.getAuthority();
        } else {
            name = uri.getSchemeSpecificPart();
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("'" + uri + "' names no resource");
        }
        if (confDirectory == null) {
            throw new IllegalArgumentException("'" + uri + "' is read from the configuration directory (-c), and "
                    + "none is known");
        }
        try {
            return confDirectory.resolve(name);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + uri + "': not a valid file name: " + e.getMessage());
        }
    }

    /** The URI for messages: any user and password in it left out. */
    static String withoutCredentials(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(),
                    uri.getFragment()).toString();
        } catch (URISyntaxException e) {
            return uri.getScheme() + "://" + uri.getHost();
        }
    }

    /** The locations, in merge order. */
    List<String> locations() {
        return sources.stream().map(ConfigSource::location).toList();
    }

    /** {@code a.conf + b.conf}, for messages. */
    String describe() {
        return sources.stream().map(ConfigSource::location).collect(Collectors.joining(" + "));
    }

    /** The files among the sources, for commands that need a path. */
    List<Path> files() {
        return sources.stream().filter(FileConfigSource.class::isInstance)
                .map(source -> ((FileConfigSource) source).file()).toList();
    }

    /** Whether a source is read over HTTP: Flume then polls every 300 s rather than 30. */
    boolean overHttp() {
        return sources.stream().anyMatch(HttpConfigSource.class::isInstance);
    }

    /**
     * Reads every source, in order, and keeps the backup up to date.
     *
     * @param fallBackToBackup whether a failure is answered with the backup copy (when starting), if there is one
     * @throws IOException when a source cannot be read (and no backup is used): the message names it
     */
    Snapshot read(boolean fallBackToBackup) throws IOException {
        List<ConfigText> texts = new ArrayList<>();
        try {
            for (ConfigSource source : sources) {
                texts.add(ConfigText.decode(source.location(), source.read()));
            }
        } catch (IOException e) {
            if (fallBackToBackup && backupFile != null && Files.isRegularFile(backupFile)) {
                List<ConfigText> backup = List.of(ConfigText.read(backupFile));
                return new Snapshot(backup, identity(backup), "cannot read the configuration (" + e.getMessage()
                        + "); starting from the copy kept in " + backupFile);
            }
            throw e;
        }
        String identity = identity(texts);
        if (backupFile != null) {
            writeBackup(texts);
        }
        return new Snapshot(texts, identity, null);
    }

    private void writeBackup(List<ConfigText> texts) throws IOException {
        StringBuilder out = new StringBuilder("# The configuration as last read, kept by Sluice (--backup-directory)."
                + "\n# Its parts in the order they are merged; a later key overrides an earlier one.\n");
        for (ConfigText text : texts) {
            out.append("\n# from ").append(text.origin()).append("\n").append(text.text()).append("\n\n");
        }
        String content = out.toString();
        if (Files.isRegularFile(backupFile)
                && Files.readString(backupFile, StandardCharsets.UTF_8).equals(content)) {
            return;
        }
        Files.createDirectories(backupFile.getParent());
        Path temporary = backupFile.resolveSibling(backupFile.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the directory's protection applies.
            Files.createFile(temporary);
        }
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        try {
            Files.move(temporary, backupFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, backupFile, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String identity(List<ConfigText> texts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (ConfigText text : texts) {
                byte[] bytes = text.text().getBytes(StandardCharsets.UTF_8);
                digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
                digest.update((byte) 0);
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
