package org.sluice.source.taildir;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.Range;
import org.sluice.api.component.SluiceType;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.SourceFactory;
import org.sluice.support.config.ConfigValues;

/** Flume's {@code TAILDIR} source. */
@Component(service = SourceFactory.class)
@SluiceType({"TAILDIR", "org.apache.flume.source.taildir.TaildirSource", "org.sluice.source.taildir.TaildirSource"})
public class TaildirSourceFactory implements SourceFactory {

    private static final Logger LOG = LoggerFactory.getLogger(TaildirSourceFactory.class);

    /** Flume's default position file, below the user's home directory. */
    static final String DEFAULT_POSITION_FILE = "/.flume/taildir_position.json";
    /** The most maxLineLength may be: a line's bytes are held in one array. */
    static final int MAX_LINE_LENGTH_LIMIT = 256 * 1024 * 1024;
    /** The most readerThreads may be: each holds a read buffer of its own. */
    static final int MAX_READER_THREADS = 64;
    private static final Set<String> MULTILINE_KEYS = Set.of("startPattern", "continuationPattern", "timeout",
            "maxLines");

    /** Flume 1.11's keys and defaults; then Sluice's. */
    public @interface Config {
        /** The file groups, separated by white space; each needs {@code filegroups.<group>}. */
        String[] filegroups();

        /** The JSON file of each file's inode, path and committed position; default ~/.flume/taildir_position.json. */
        String positionFile() default "";

        /** Put each line's byte offset in the file into the header {@code byteoffset}. */
        boolean byteOffsetHeader() default false;

        /** Start files that the position file does not name at their end rather than their start. */
        boolean skipToEnd() default false;

        /** Milliseconds without growth after which a file is closed (and a rotated file's reading finished). */
        @Range(min = 0)
        int idleTimeout() default 120_000;

        /** Milliseconds between writes of the position file. */
        @Range(min = 1)
        int writePosInterval() default 3000;

        /** Lines per channel transaction at most. */
        @Range(min = 1)
        int batchSize() default 100;

        /**
         * Batches read from one file in a row before the next file's turn; 0 or less: the default, no limit, with a
         * warning, as in Flume.
         */
        @Range(min = 1, fallBack = true)
        long maxBatchCount() default Long.MAX_VALUE;

        /** Milliseconds added to the wait after each look that found nothing new. */
        @Range(min = 0)
        long backoffSleepIncrement() default 1000;

        /** The longest wait between looks, in milliseconds, when nothing says a file changed. */
        @Range(min = 0)
        long maxBackoffSleep() default 5000;

        /** List a directory again only when its modification time changed. */
        boolean cachePatternMatching() default true;

        /** Put the file's absolute path into a header. */
        boolean fileHeader() default false;

        String fileHeaderKey() default "file";

        /** Sluice's: the most bytes of one line (or multi-line event); the rest of a longer one is dropped. */
        @Range(min = 1, max = MAX_LINE_LENGTH_LIMIT)
        int maxLineLength() default 1024 * 1024;

        /** Sluice's: the directory part of {@code filegroups.<group>} may hold globs ({@code *}, {@code **}). */
        boolean directoryGlobs() default false;

        /**
         * Sluice's: how many files are read at once, each by a thread of its own (the source's thread is one of
         * them). With 1, the default, files are read one after another, the least recently modified first, as
         * Flume reads them; with more, a backlog of several files (after an outage, or many active logs) is read on
         * as many cores, and lines of different files no longer come in that order (each file's lines still do).
         */
        @Range(min = 1, max = MAX_READER_THREADS)
        int readerThreads() default 1;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Set<String> openKeyPrefixes() {
        return Set.of("filegroups.", "headers.", "multiline.");
    }

    @Override
    public Source create(SourceContext context) throws ConfigurationException {
        return new TaildirSource(context, settings(context));
    }

    static Settings settings(SourceContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        String positionFile = config.positionFile().isEmpty()
                ? System.getProperty("user.home").replace('\\', '/') + DEFAULT_POSITION_FILE
                : config.positionFile();
        String fileHeaderKey = config.fileHeader()
                ? ConfigValues.nonEmpty(context, "fileHeaderKey", config.fileHeaderKey()) : null;
        return new Settings(groups(context, config), path(context, "positionFile", positionFile).toAbsolutePath(),
                config.byteOffsetHeader(), config.skipToEnd(), config.idleTimeout(), config.writePosInterval(),
                config.batchSize(), config.maxBatchCount(), config.backoffSleepIncrement(), config.maxBackoffSleep(),
                config.cachePatternMatching(), fileHeaderKey, config.maxLineLength(), config.readerThreads());
    }

    private static List<FileGroup> groups(SourceContext context, Config config) throws ConfigurationException {
        Map<String, String> paths = context.subProperties("filegroups.");
        Map<String, Map<String, String>> headers = headers(context);
        Map<String, Map<String, String>> multiline = byGroup(context.subProperties("multiline."));
        List<FileGroup> groups = new ArrayList<>();
        for (String name : new java.util.LinkedHashSet<>(Arrays.asList(config.filegroups()))) {
            String configured = paths.get(name);
            if (configured == null || configured.isBlank()) {
                // Flume ignores a listed group without a path; so does Sluice, but it says so.
                LOG.warn("Taildir source {}: file group '{}' has no filegroups.{}; it is ignored",
                        context.componentName(), name, name);
                continue;
            }
            String key = "filegroups." + name;
            groups.add(group(context, key, name, configured.trim(), config.directoryGlobs(),
                    headers.getOrDefault(name, Map.of()),
                    multilineRule(context, name, multiline.getOrDefault(name, Map.of()))));
        }
        for (String group : multiline.keySet()) {
            if (groups.stream().noneMatch(g -> g.name().equals(group))) {
                throw context.configurationError("multiline." + group, "names no file group of filegroups");
            }
        }
        if (groups.isEmpty()) {
            throw context.configurationError("filegroups", "no file group has a path: set filegroups.<group> for "
                    + "each group listed in filegroups");
        }
        return groups;
    }

    private static FileGroup group(SourceContext context, String key, String name, String configured,
                                   boolean directoryGlobs, Map<String, String> headers, MultilineRule multiline)
            throws ConfigurationException {
        Path path = path(context, key, configured).toAbsolutePath();
        Path parent = path.getParent();
        if (parent == null || path.getFileName() == null) {
            throw context.configurationError(key, "'" + configured + "' names no file in a directory");
        }
        Pattern fileName = ConfigValues.pattern(context, key, path.getFileName().toString());
        Path directory = parent;
        List<String> glob = new ArrayList<>();
        if (directoryGlobs) {
            directory = parent.getRoot();
            boolean inGlob = false;
            for (Path component : parent) {
                String text = component.toString();
                inGlob |= text.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0);
                if (inGlob) {
                    glob.add(text);
                } else {
                    directory = directory.resolve(text);
                }
            }
        }
        return new FileGroup(name, configured, directory.normalize(), List.copyOf(glob), fileName, Map.copyOf(headers),
                multiline);
    }

    /** {@code headers.<group>.<key> = value}, by group. */
    private static Map<String, Map<String, String>> headers(SourceContext context) {
        Map<String, Map<String, String>> byGroup = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(context.subProperties("headers.")).entrySet()) {
            int dot = entry.getKey().indexOf('.');
            if (dot > 0 && dot < entry.getKey().length() - 1) {
                byGroup.computeIfAbsent(entry.getKey().substring(0, dot), g -> new LinkedHashMap<>())
                        .put(entry.getKey().substring(dot + 1), entry.getValue());
            }
        }
        return byGroup;
    }

    /** {@code multiline.<group>.<key> = value}, by group. */
    private static Map<String, Map<String, String>> byGroup(Map<String, String> properties) {
        Map<String, Map<String, String>> byGroup = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(properties).entrySet()) {
            int dot = entry.getKey().lastIndexOf('.');
            String group = dot > 0 ? entry.getKey().substring(0, dot) : entry.getKey();
            String key = dot > 0 ? entry.getKey().substring(dot + 1) : "";
            byGroup.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(key, entry.getValue());
        }
        return byGroup;
    }

    private static MultilineRule multilineRule(SourceContext context, String group, Map<String, String> keys)
            throws ConfigurationException {
        if (keys.isEmpty()) {
            return null;
        }
        String prefix = "multiline." + group + ".";
        for (String key : keys.keySet()) {
            if (!MULTILINE_KEYS.contains(key)) {
                throw context.configurationError(prefix + key, "is not a multi-line key: use startPattern or "
                        + "continuationPattern, and optionally timeout and maxLines");
            }
        }
        String start = keys.get("startPattern");
        String continuation = keys.get("continuationPattern");
        if ((start == null) == (continuation == null)) {
            throw context.configurationError(prefix + "startPattern", "set exactly one of " + prefix
                    + "startPattern (a line that begins an event) and " + prefix
                    + "continuationPattern (a line that continues the one before)");
        }
        long timeout = number(context, prefix + "timeout", keys.getOrDefault("timeout", "1000"));
        long maxLines = number(context, prefix + "maxLines", keys.getOrDefault("maxLines", "500"));
        if (maxLines > Integer.MAX_VALUE) {
            throw context.configurationError(prefix + "maxLines", "is too large: " + maxLines);
        }
        return new MultilineRule(start == null ? null : ConfigValues.pattern(context, prefix + "startPattern", start),
                continuation == null ? null
                        : ConfigValues.pattern(context, prefix + "continuationPattern", continuation),
                timeout, (int) maxLines);
    }

    private static long number(SourceContext context, String key, String text) throws ConfigurationException {
        try {
            long value = Long.parseLong(text.trim());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw context.configurationError(key, "'" + text + "' is not a whole number of at least 1");
    }

    private static Path path(SourceContext context, String key, String value) throws ConfigurationException {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new ConfigurationException(context.agentName(), context.componentName(), key,
                    "'" + value + "' is not a valid path: " + e.getMessage(), e);
        }
    }
}
