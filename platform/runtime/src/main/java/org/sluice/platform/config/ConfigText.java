package org.sluice.platform.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The text of one configuration source, as read.
 *
 * @param origin               where it came from, for messages (a path or a URI without credentials); null when
 *                             unnamed
 * @param text                 its properties text
 * @param firstUndecodableLine the first line whose bytes were not UTF-8 (read as U+FFFD); 0 when all were
 */
public record ConfigText(String origin, String text, int firstUndecodableLine) {

    public ConfigText(String origin, String text) {
        this(origin, text, 0);
    }

    /** The text of a file, read as {@link #decode} reads bytes. */
    public static ConfigText read(Path file) throws IOException {
        return decode(file.toString(), Files.readAllBytes(file));
    }

    /**
     * The text of a configuration's bytes, the one way an agent, {@code validate} and the shell read one, so they
     * never disagree on it: UTF-8, and bytes that are not UTF-8 read as U+FFFD, as Flume's reader reads them (the
     * parser warns, naming {@link #firstUndecodableLine}).
     */
    public static ConfigText decode(String origin, byte[] bytes) {
        try {
            return new ConfigText(origin, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            int line = 1;
            for (int i = 0; i < text.length() && text.charAt(i) != '\uFFFD'; i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                }
            }
            return new ConfigText(origin, text, line);
        }
    }
}
