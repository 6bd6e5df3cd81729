package org.sluice.itests.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The numbers the tests send, one a line, as file_roll wrote them to its directory. A line not yet ended with a
 * newline is left out (file_roll may be writing it), and so is a line cut short by a kill: the event is delivered
 * again, and a test that counts numbers finds any that never arrived.
 */
final class FileRollNumbers {

    private FileRollNumbers() {
    }

    /** Every number written, in file order (a number delivered twice stands twice). */
    static List<Long> numbers(Path directory) throws IOException {
        List<Long> numbers = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                String content = Files.readString(file, StandardCharsets.UTF_8);
                int end = content.lastIndexOf('\n');
                if (end < 0) {
                    continue;
                }
                for (String line : content.substring(0, end).split("\n")) {
                    try {
                        numbers.add(Long.parseLong(line.trim()));
                    } catch (NumberFormatException torn) {
                        // Only where a kill cut a write short; the event is delivered again from the channel.
                    }
                }
            }
        }
        return numbers;
    }

    /** How often each number was written. */
    static Map<Long, Integer> counts(Path directory) throws IOException {
        Map<Long, Integer> counts = new TreeMap<>();
        for (long number : numbers(directory)) {
            counts.merge(number, 1, Integer::sum);
        }
        return counts;
    }
}
