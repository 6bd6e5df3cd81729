package org.sluice.itests.osgi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What an hdfs sink with {@code hdfs.fileType = DataStream} wrote to a file:// path: the lines of its closed files
 * ({@code FlumeData.<n>}). A file still open ends in {@code .tmp} and is not read; Hadoop's local checksum files
 * ({@code .FlumeData.<n>.crc}) are not events.
 */
public final class HdfsTextOutput {

    private final Path directory;

    public HdfsTextOutput(Path directory) {
        this.directory = directory;
    }

    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return lines;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                String name = file.getFileName().toString();
                if (name.startsWith("FlumeData.") && !name.endsWith(".tmp")) {
                    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                        lines.add(line);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the hdfs sink's output in " + directory, e);
        }
        return lines;
    }
}
