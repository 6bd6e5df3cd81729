package org.sluice.platform.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A properties file on the local file system, read as {@link ConfigText#decode} reads it. */
final class FileConfigSource implements ConfigSource {

    private final Path file;

    FileConfigSource(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    Path file() {
        return file;
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    public byte[] read() throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + " does not exist", e);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return location();
    }
}
