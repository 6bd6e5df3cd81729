package org.sluice.source.spooldir;

import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzz targets of the spooling directory source's deserializers (issue 15), through the
 * {@link EventReader} interface every one implements: a file nobody controls gives events within their bounds, or an
 * IOException that fails that file, never a crash. Written against EventReader so they survive the readers' rework.
 */
class DeserializerFuzzTest {
    private static final int MAX_LINE_LENGTH = 100;
    private static final int MAX_BLOB_LENGTH = 1000;

    private static void readAll(byte[] content, ReaderFactory factory, int maxBody) throws IOException {
        Path file = Files.createTempFile("fuzz-spool", ".log");
        try {
            Files.write(file, content);
            try (EventReader reader = factory.open(file, content.length)) {
                long previous = -1;
                for (byte[] body = reader.next(); body != null; body = reader.next()) {
                    if (body.length > maxBody) {
                        throw new IllegalStateException("an event of " + body.length + " bytes passed the bound");
                    }
                    if (reader.position() <= previous && maxBody > 0) {
                        throw new IllegalStateException("the position did not advance: " + reader.position());
                    }
                    previous = reader.position();
                }
            } catch (IOException failed) {
                // The file is refused, with the reason.
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @FunctionalInterface
    private interface ReaderFactory {
        EventReader open(Path file, long size) throws IOException;
    }

    @FuzzTest(maxDuration = "10m")
    void lineReader(byte[] content) throws IOException {
        // A line event's body is at most max-line-length characters of UTF-8: four bytes each at most.
        readAll(content, (file, size) -> new LineEventReader(new CharReader(file, size, StandardCharsets.UTF_8
                .newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)), MAX_LINE_LENGTH, StandardCharsets.UTF_8),
                4 * MAX_LINE_LENGTH);
    }

    @FuzzTest(maxDuration = "10m")
    void blobReader(byte[] content) throws IOException {
        readAll(content, (file, size) -> new BlobEventReader(file, size, MAX_BLOB_LENGTH), MAX_BLOB_LENGTH);
    }

    @FuzzTest(maxDuration = "10m")
    void avroReader(byte[] content) throws IOException {
        readAll(content, (file, size) -> new AvroEventReader(file, size, false, 100), Integer.MAX_VALUE);
    }
}
