package org.sluice.source.spooldir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Lists the files of the spooling directory that may be read now, in the order they are to be read: files
 * partly read before first, then by {@code consumeOrder}. Left out: names starting with a dot, finished files
 * (the {@code fileSuffix}, or a mark in trackerDir), names {@code ignorePattern} matches or
 * {@code includePattern} does not, and files the source refused; with {@code recursiveDirectorySearch},
 * sub-directories other than hidden ones and trackerDir are listed too.
 */
final class DirectoryScanner {

    /** A file that may be read: its path relative to spoolDir, and its size and modification time now. */
    record Candidate(String relative, Path path, long size, long lastModified) {
    }

    private final Settings settings;
    private final FinishedFiles finished;

    DirectoryScanner(Settings settings, FinishedFiles finished) {
        this.settings = settings;
        this.finished = finished;
    }

    /**
     * The files that may be read, in reading order.
     *
     * @param refused files not to look at again (by relative path)
     * @param partlyRead files read in part before, which come first
     */
    List<Candidate> inReadingOrder(Set<String> refused, Set<String> partlyRead) throws IOException {
        List<Candidate> candidates = list(refused);
        switch (settings.consumeOrder()) {
            case OLDEST -> candidates.sort(Comparator.comparingLong(Candidate::lastModified)
                    .thenComparing(Candidate::relative));
            case YOUNGEST -> candidates.sort(Comparator.comparingLong(Candidate::lastModified).reversed()
                    .thenComparing(Candidate::relative));
            case RANDOM -> Collections.shuffle(candidates);
        }
        // Stable: among partly read files (normally one) the order above still holds.
        candidates.sort(Comparator.comparing(c -> !partlyRead.contains(c.relative())));
        return candidates;
    }

    private List<Candidate> list(Set<String> refused) throws IOException {
        List<Candidate> out = new ArrayList<>();
        Path root = settings.spoolDir();
        if (settings.recursive()) {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root) && (dir.getFileName().toString().startsWith(".")
                            || dir.equals(settings.trackerDir()))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        consider(file, attrs, refused, out);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // taken away while listing
                    }
                    throw e;
                }
            });
        } else {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(root)) {
                for (Path file : files) {
                    BasicFileAttributes attrs;
                    try {
                        attrs = Files.readAttributes(file, BasicFileAttributes.class);
                    } catch (NoSuchFileException e) {
                        continue; // taken away while listing
                    }
                    if (attrs.isRegularFile()) {
                        consider(file, attrs, refused, out);
                    }
                }
            }
        }
        return out;
    }

    private void consider(Path file, BasicFileAttributes attrs, Set<String> refused, List<Candidate> out) {
        String fileName = file.getFileName().toString();
        if (fileName.startsWith(".") || fileName.endsWith(settings.fileSuffix())
                || settings.ignorePattern().matcher(fileName).matches()
                || !settings.includePattern().matcher(fileName).matches()) {
            return;
        }
        String relative = settings.spoolDir().relativize(file).toString();
        if (refused.contains(relative) || finished.isMarked(relative)) {
            return;
        }
        out.add(new Candidate(relative, file, attrs.size(), attrs.lastModifiedTime().toMillis()));
    }
}
