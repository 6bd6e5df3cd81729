package org.sluice.testkit;

import java.nio.charset.StandardCharsets;

/** Where a text stands in the bytes of a stored file, for tests that damage the file at that place. */
public final class StoredBytes {

    private StoredBytes() {
    }

    /**
     * The offset of the first occurrence of {@code text}'s UTF-8 bytes in {@code file}.
     *
     * @throws AssertionError if the file does not hold it
     */
    public static int offsetOf(byte[] file, String text) {
        // ISO-8859-1 maps every byte to one char and back, so the string search is a byte search.
        int at = new String(file, StandardCharsets.ISO_8859_1)
                .indexOf(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        if (at < 0) {
            throw new AssertionError("'" + text + "' is not in the " + file.length + " bytes");
        }
        return at;
    }
}
