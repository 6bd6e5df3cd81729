package org.sluice.source.taildir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;

/** The source's small JSON files, read with Jackson's streaming parser and replaced whole, never in place. */
final class JsonFiles {

    /** The generator leaves the file open: it is forced to the disk before it is closed. */
    static final JsonFactory JSON = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    /** What goes into a file. */
    interface Content {
        void writeTo(JsonGenerator json) throws IOException;
    }

    private JsonFiles() {
    }

    /**
     * Writes {@code content} to {@code <path>.tmp}, forces it to the disk and moves it over {@code path}, so a crash
     * leaves the old file or the new one, never a part.
     */
    static void replace(Path path, Content content) throws IOException {
        Path parent = path.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(channel);
            try (JsonGenerator json = JSON.createGenerator(out)) {
                content.writeTo(json);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
