package org.sluice.itests.osgi.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The numbers an hdfs sink with {@code hdfs.fileType = DataStream} wrote, one per line, into the closed files
 * ({@code FlumeData.<n>}) of one directory of a real HDFS, read over WebHDFS. A file still in use ends in
 * {@code .tmp} and is not read; a closed file never changes, so each is read once.
 */
public final class WebHdfsTextOutput {

    private static final String CLOSED_FILE = "FlumeData\\.\\d+";

    private final WebHdfs webHdfs;
    private final String directory;
    /** Lines of each closed file already read. */
    private final Map<String, List<String>> closedFiles = new HashMap<>();

    public WebHdfsTextOutput(WebHdfs webHdfs, String directory) {
        this.webHdfs = webHdfs;
        this.directory = directory;
    }

    /** How many lines the closed files hold, duplicates included. */
    public long lineCount() {
        return refresh().values().stream().mapToLong(List::size).sum();
    }

    /** The distinct numbers in the closed files; a line that is not a number fails the test. */
    public Set<Long> numbers() {
        Set<Long> numbers = new TreeSet<>();
        refresh().forEach((file, lines) -> {
            for (String line : lines) {
                try {
                    numbers.add(Long.parseLong(line.trim()));
                } catch (NumberFormatException e) {
                    throw new AssertionError(directory + "/" + file + " has a line that is not a number: '" + line
                            + "'", e);
                }
            }
        });
        return numbers;
    }

    /** Waits until every number in [from, to) is in a closed file; returns the numbers written. */
    public Set<Long> awaitAll(long from, long to) {
        Await.until("the closed files in hdfs " + directory + " to hold every number in [" + from + ", " + to
                + "); missing (the first 20)", () -> FileRollOutput.missing(numbers(), from, to), List::isEmpty);
        return numbers();
    }

    private Map<String, List<String>> refresh() {
        for (String name : webHdfs.list(directory)) {
            if (name.matches(CLOSED_FILE) && !closedFiles.containsKey(name)) {
                String content = webHdfs.read(directory + "/" + name);
                closedFiles.put(name, content.isEmpty() ? List.of() : List.of(content.split("\n")));
            }
        }
        return closedFiles;
    }
}
