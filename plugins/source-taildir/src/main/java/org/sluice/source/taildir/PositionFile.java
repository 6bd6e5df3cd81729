package org.sluice.source.taildir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Flume's taildir position file: a JSON array with one object per tailed file, {@code {"inode": N, "pos": N,
 * "file": "/absolute/path"}}, {@code pos} being the offset up to which the file's lines are committed to the
 * channels. Sluice reads the files Flume writes (so an agent that replaces Flume continues where Flume stopped)
 * and writes files Flume reads (so it can go back).
 *
 * <p>Written whole to a temporary file beside it, forced to the disk and moved into place, so a crash leaves the
 * previous file or the new one, never a part (Flume overwrites the file in place). An empty file means no
 * positions, as Flume writes one when it tails nothing.
 */
final class PositionFile {

    /** One file's committed position. */
    record Entry(long inode, long pos, String file) {
    }

    /** The file cannot be understood; the message says where and why. */
    static final class DamagedException extends IOException {
        DamagedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Path path;

    PositionFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /**
     * The entries of the file; none when it does not exist or is empty. Members other than Flume's three are
     * skipped; an entry without one of the three is skipped too.
     *
     * @throws DamagedException when the file is not such an array
     */
    List<Entry> read() throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return parse(content, path.toString());
    }

    static List<Entry> parse(byte[] content, String name) throws DamagedException {
        List<Entry> entries = new ArrayList<>();
        try (JsonParser parser = JsonFiles.JSON.createParser(content)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return entries; // empty, or only white space
            }
            expect(parser, first, JsonToken.START_ARRAY, "a JSON array");
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                expect(parser, token, JsonToken.START_OBJECT, "an object per file");
                Long inode = null;
                Long pos = null;
                String file = null;
                for (JsonToken member = parser.nextToken(); member != JsonToken.END_OBJECT;
                        member = parser.nextToken()) {
                    expect(parser, member, JsonToken.FIELD_NAME, "a member name");
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    switch (field) {
                        case "inode" -> inode = number(parser, value, "inode");
                        case "pos" -> pos = number(parser, value, "pos");
                        case "file" -> {
                            expect(parser, value, JsonToken.VALUE_STRING, "a string for file");
                            file = parser.getText();
                        }
                        default -> parser.skipChildren();
                    }
                }
                if (inode != null && pos != null && file != null && pos >= 0) {
                    entries.add(new Entry(inode, pos, file));
                }
            }
            if (parser.nextToken() != null) {
                throw new DamagedException("unexpected content after the array, at "
                        + parser.currentLocation().offsetDescription(), null);
            }
        } catch (DamagedException e) {
            throw new DamagedException(name + " is not a position file (a JSON array of {inode, pos, file}): "
                    + e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new DamagedException(name + " is not a position file (a JSON array of {inode, pos, file}): "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DamagedException(name + " cannot be read: " + e, e);
        }
        return entries;
    }

    private static void expect(JsonParser parser, JsonToken token, JsonToken expected, String what)
            throws DamagedException {
        if (token != expected) {
            throw new DamagedException("at " + parser.currentLocation().offsetDescription() + ": expected " + what
                    + ", found " + (token == null ? "the end" : token.asString() == null ? token : token.asString()),
                    null);
        }
    }

    private static long number(JsonParser parser, JsonToken token, String what) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            expect(parser, token, JsonToken.VALUE_NUMBER_INT, "a whole number for " + what);
        }
        return parser.getLongValue();
    }

    /** Replaces the file with {@code entries}, atomically. */
    void write(List<Entry> entries) throws IOException {
        JsonFiles.replace(path, json -> {
            json.writeStartArray();
            for (Entry entry : entries) {
                json.writeStartObject();
                json.writeNumberField("inode", entry.inode());
                json.writeNumberField("pos", entry.pos());
                json.writeStringField("file", entry.file());
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }
}
