package org.sluice.itests.osgi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The events a file_roll sink wrote (text serializer: one body per line) into its directory, across every
 * file it rolled. A line still being written (no newline yet) is not counted.
 */
public final class FileRollOutput {

    private final Path directory;

    public FileRollOutput(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** Waits until every number in [from, to) was written at least once; returns the numbers written. */
    public Set<Long> awaitAll(long from, long to) {
        return Await.until("file_roll output in " + directory + " to hold every number in [" + from + ", " + to + ")",
                this::numbers, written -> missing(written, from, to).isEmpty());
    }

    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                int end = content.lastIndexOf('\n');
                if (end >= 0) {
                    for (String line : content.substring(0, end).split("\n", -1)) {
                        lines.add(line);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read file_roll output in " + directory, e);
        }
        return lines;
    }

    /** The distinct numbers written, one per line; a line that is not a number fails the test. */
    public Set<Long> numbers() {
        Set<Long> numbers = new TreeSet<>();
        for (String line : lines()) {
            try {
                numbers.add(Long.parseLong(line.trim()));
            } catch (NumberFormatException e) {
                throw new AssertionError("file_roll output in " + directory + " has a line that is not a sequence "
                        + "number: '" + line + "'", e);
            }
        }
        return numbers;
    }

    /** The numbers in [from, to) not written (the first 20 at most, for a failure message). */
    public static List<Long> missing(Set<Long> written, long from, long to) {
        List<Long> missing = new ArrayList<>();
        for (long n = from; n < to && missing.size() < 20; n++) {
            if (!written.contains(n)) {
                missing.add(n);
            }
        }
        return missing;
    }
}
