package org.sluice.source.taildir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Sluice's companion of the position file ({@code <positionFile>.heads}): the first bytes of each file whose
 * position is saved, by inode. Flume's position file names a file by inode and path, and Flume uses a saved
 * position only where both still match, so a file renamed while the agent was down (a rotation) is read again from
 * its start. With the first bytes, a restart recognises the file under its new name and continues at its position,
 * and it tells a new file that got a freed inode (at the old path, or another) from the file that had it. Flume
 * never reads this file; without it (a position file Flume wrote) Flume's rule applies.
 *
 * <p>{@code [{"inode": N, "head": "<base64>"}, ...]}, written whole to a temporary file and moved into place just
 * before the position file. Not the place of truth: a file that cannot be read is ignored with a warning.
 */
final class HeadFile {

    private final Path path;

    HeadFile(Path positionFile) {
        this.path = positionFile.resolveSibling(positionFile.getFileName() + ".heads");
    }

    Path path() {
        return path;
    }

    /** The saved heads by inode; empty when there is no file. */
    Map<Long, byte[]> read() throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        Map<Long, byte[]> heads = new HashMap<>();
        try (JsonParser parser = JsonFiles.JSON.createParser(content)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException(path + " is not a JSON array");
            }
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                Long inode = null;
                byte[] head = null;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    parser.nextToken();
                    if (field.equals("inode") && parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                        inode = parser.getLongValue();
                    } else if (field.equals("head") && parser.currentToken() == JsonToken.VALUE_STRING) {
                        head = Base64.getDecoder().decode(parser.getText());
                    } else {
                        parser.skipChildren();
                    }
                }
                if (inode != null && head != null && head.length <= TailedFile.HEAD_BYTES) {
                    heads.put(inode, head);
                }
            }
        } catch (IllegalArgumentException e) { // not base64
            throw new IOException(path + ": " + e.getMessage(), e);
        }
        return heads;
    }

    /** Replaces the file with {@code heads}, atomically. */
    void write(Map<Long, byte[]> heads) throws IOException {
        JsonFiles.replace(path, json -> {
            json.writeStartArray();
            for (Map.Entry<Long, byte[]> head : heads.entrySet()) {
                json.writeStartObject();
                json.writeNumberField("inode", head.getKey());
                json.writeStringField("head", Base64.getEncoder().encodeToString(head.getValue()));
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }
}
