package org.sluice.source.taildir;

/**
 * Tells a compressed file by its first bytes: a rotated log that logrotate (or a shipper's own rotation)
 * compressed. Its lines were read from the file it was made of; as text it would be lines of garbage.
 */
final class Compression {

    private static final byte[][] MAGIC = {
        {0x1f, (byte) 0x8b},                                  // gzip
        {(byte) 0xfd, '7', 'z', 'X', 'Z', 0x00},              // xz
        {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd},               // zstd
        {0x04, 0x22, 0x4d, 0x18},                             // lz4 frame
        {'P', 'K', 0x03, 0x04},                               // zip
    };
    /** bzip2: "BZh", a block size digit, then the block magic (the digits of pi). */
    private static final byte[] BZIP2_BLOCK = {0x31, 0x41, 0x59, 0x26, 0x53, 0x59};

    private Compression() {
    }

    /** Whether the first {@code length} bytes of a file, {@code start}, begin a compressed file. */
    static boolean isCompressed(byte[] start, int length) {
        for (byte[] magic : MAGIC) {
            if (startsWith(start, length, magic, 0)) {
                return true;
            }
        }
        return length >= 10 && start[0] == 'B' && start[1] == 'Z' && start[2] == 'h' && start[3] >= '1'
                && start[3] <= '9' && startsWith(start, length, BZIP2_BLOCK, 4);
    }

    private static boolean startsWith(byte[] bytes, int length, byte[] magic, int at) {
        if (length < at + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (bytes[at + i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
