package org.sluice.jmh;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Avro request frames as a source receives them: a list of buffers, heap or direct. */
public final class Frames {
    private Frames() {
    }

    /**
     * The same bytes in direct buffers: what Netty's pooled allocator hands the avro source by default (the frame's
     * buffers are views of what Netty read).
     */
    public static List<ByteBuffer> direct(List<ByteBuffer> heap) {
        List<ByteBuffer> direct = new ArrayList<>(heap.size());
        for (ByteBuffer buffer : heap) {
            ByteBuffer copy = ByteBuffer.allocateDirect(buffer.remaining());
            copy.put(buffer.duplicate()).flip();
            direct.add(copy);
        }
        return direct;
    }

    /** Fresh positions over the same bytes: Avro's ByteBufferInputStream consumes the buffers it reads. */
    public static List<ByteBuffer> duplicates(List<ByteBuffer> frame) {
        List<ByteBuffer> copies = new ArrayList<>(frame.size());
        for (ByteBuffer buffer : frame) {
            copies.add(buffer.duplicate());
        }
        return copies;
    }

    public static long size(List<ByteBuffer> frame) {
        long size = 0;
        for (ByteBuffer buffer : frame) {
            size += buffer.remaining();
        }
        return size;
    }
}
