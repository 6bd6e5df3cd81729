package org.sluice.source.taildir;

import java.nio.file.Path;
import java.util.List;

/**
 * The taildir source's configuration, checked.
 *
 * @param fileHeaderKey the header for the file's path; null: no such header
 * @param readerThreads how many files are read at once (1: one after another, as Flume reads them)
 */
record Settings(List<FileGroup> groups, Path positionFile, boolean byteOffsetHeader, boolean skipToEnd,
                long idleTimeout, long writePosInterval, int batchSize, long maxBatchCount,
                long backoffSleepIncrement, long maxBackoffSleep, boolean cachePatternMatching, String fileHeaderKey,
                int maxLineLength, int readerThreads) {
}
