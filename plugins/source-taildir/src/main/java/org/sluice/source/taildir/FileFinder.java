package org.sluice.source.taildir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Finds the files of one {@link FileGroup}. A group in one directory is listed again only when the directory's
 * modification time says it may have changed (Flume's {@code cachePatternMatching}, with Flume's care for file
 * systems whose times have a granularity of a second); a group with directory globs walks its tree again when
 * told that something changed, and at least every {@value #WALK_INTERVAL_MILLIS} ms.
 */
final class FileFinder {

    /** How often a glob's tree is walked again without news of a change. */
    static final long WALK_INTERVAL_MILLIS = 2000;
    /** How deep {@code **} reaches below where a glob's walk starts. */
    static final int MAX_GLOB_DEPTH = 32;

    private final FileGroup group;
    private final boolean cache;
    private final List<PathMatcher> components = new ArrayList<>();

    private long lastSeenDirectoryTime = -1;
    private long lastListedSecond = -1;
    private long lastWalkAt = Long.MIN_VALUE / 2;
    private boolean changed = true;
    private List<Path> files = List.of();
    private Set<Path> directories;

    FileFinder(FileGroup group, boolean cachePatternMatching) {
        this.group = group;
        this.cache = cachePatternMatching;
        // Known before the first listing, so that it is watched before it is listed.
        this.directories = group.walks() ? Set.of() : Set.of(group.directory());
        for (String component : group.directoryGlob()) {
            components.add(component.equals("**") ? null
                    : FileSystems.getDefault().getPathMatcher("glob:" + component));
        }
    }

    FileGroup group() {
        return group;
    }

    /** Something changed in a watched directory: the next {@link #files} looks again. */
    void changed() {
        changed = true;
    }

    /** The directories the group's files were found in at the last look (for watching). */
    Set<Path> directories() {
        return directories;
    }

    /** The group's files, as of now or of the last look that is still good. */
    List<Path> files(long now) throws IOException {
        if (group.walks()) {
            if (changed || now - lastWalkAt >= WALK_INTERVAL_MILLIS || !cache) {
                changed = false;
                lastWalkAt = now;
                walk();
            }
            return files;
        }
        long directoryTime = Files.getLastModifiedTime(group.directory()).toMillis();
        // As Flume: list again when the directory changed, or when it changed within the second of the last
        // listing (a second-granular time cannot tell two changes in that second apart).
        if (!cache || lastSeenDirectoryTime < directoryTime || directoryTime >= lastListedSecond) {
            List<Path> found = new ArrayList<>();
            list(group.directory(), found);
            files = found;
            directories = Set.of(group.directory());
            lastSeenDirectoryTime = directoryTime;
            lastListedSecond = TimeUnit.SECONDS.toMillis(TimeUnit.MILLISECONDS.toSeconds(now));
        }
        return files;
    }

    private void list(Path directory, List<Path> found) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
                entry -> group.fileName().matcher(entry.getFileName().toString()).matches())) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry)) {
                    found.add(entry);
                }
            }
        }
    }

    private void walk() throws IOException {
        Path root = group.directory();
        List<Path> found = new ArrayList<>();
        Set<Path> matchedDirectories = new LinkedHashSet<>();
        if (!Files.isDirectory(root)) {
            files = found;
            directories = matchedDirectories;
            return;
        }
        boolean deep = components.contains(null);
        int maxDepth = deep ? MAX_GLOB_DEPTH : components.size() + 1;
        Deque<Boolean> matching = new ArrayDeque<>();
        Files.walkFileTree(root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), maxDepth,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                        List<String> relative = new ArrayList<>();
                        for (Path name : root.relativize(dir)) {
                            if (!name.toString().isEmpty()) {
                                relative.add(name.toString());
                            }
                        }
                        if (!couldMatch(0, relative, 0)) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        boolean matches = matches(0, relative, 0);
                        matching.push(matches);
                        if (matches) {
                            matchedDirectories.add(dir);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        if (!matching.isEmpty() && matching.peek() && attributes.isRegularFile()
                                && group.fileName().matcher(file.getFileName().toString()).matches()) {
                            found.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE; // gone meanwhile, or not readable: not ours to tail
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                        matching.pop();
                        return FileVisitResult.CONTINUE;
                    }
                });
        files = found;
        directories = matchedDirectories;
    }

    /** Whether the directory components from {@code at} match the glob's components from {@code from}. */
    private boolean matches(int from, List<String> path, int at) {
        if (from == components.size()) {
            return at == path.size();
        }
        PathMatcher component = components.get(from);
        if (component == null) { // **: no directory, or one more
            return matches(from + 1, path, at) || (at < path.size() && matches(from, path, at + 1));
        }
        return at < path.size() && component.matches(Path.of(path.get(at))) && matches(from + 1, path, at + 1);
    }

    /** Whether some directory below the one of these components could still match: the walk goes on there. */
    private boolean couldMatch(int from, List<String> path, int at) {
        if (at == path.size()) {
            return true;
        }
        if (from == components.size()) {
            return false;
        }
        PathMatcher component = components.get(from);
        if (component == null) {
            return couldMatch(from + 1, path, at) || couldMatch(from, path, at + 1);
        }
        return component.matches(Path.of(path.get(at))) && couldMatch(from + 1, path, at + 1);
    }
}
