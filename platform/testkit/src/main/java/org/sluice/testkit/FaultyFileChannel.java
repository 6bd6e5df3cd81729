package org.sluice.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A file channel that fails where a disk can, for tests of durable stores: before each read, write, force or
 * truncate it asks its {@link Faults}, which may throw the IOException the disk would give (or block, to hold an
 * operation in place). A write that fails first writes half of what it was given, as a disk that fills up mid-way
 * leaves a partial record behind. Everything else goes to the real channel.
 */
public final class FaultyFileChannel extends FileChannel {
    /** The operations a fault can hit. */
    public enum Operation { READ, WRITE, FORCE, TRUNCATE }

    /** Decides, before each operation on a file, whether it fails. */
    @FunctionalInterface
    public interface Faults {
        /** Throws to fail the operation; returns to let it happen. */
        void before(Operation operation, Path file) throws IOException;
    }

    /** Fails the next operation of the kind it is armed with, once; a test arms it where the disk should fail. */
    public static final class FailNext implements Faults {
        private final AtomicReference<Operation> armed = new AtomicReference<>();

        public void arm(Operation operation) {
            armed.set(operation);
        }

        @Override
        public void before(Operation operation, Path file) throws IOException {
            if (armed.compareAndSet(operation, null)) {
                throw new IOException("injected: " + operation + " of " + file + " failed");
            }
        }
    }

    private final FileChannel delegate;
    private final Path path;
    private final Faults faults;

    public FaultyFileChannel(FileChannel delegate, Path path, Faults faults) {
        this.delegate = delegate;
        this.path = path;
        this.faults = faults;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        faults.before(Operation.READ, path);
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        faults.before(Operation.READ, path);
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        faults.before(Operation.READ, path);
        return delegate.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        try {
            faults.before(Operation.WRITE, path);
        } catch (IOException e) {
            delegate.write(half(src));
            throw e;
        }
        return delegate.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        faults.before(Operation.WRITE, path);
        return delegate.write(srcs, offset, length);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        try {
            faults.before(Operation.WRITE, path);
        } catch (IOException e) {
            delegate.write(half(src), position);
            throw e;
        }
        return delegate.write(src, position);
    }

    /** The first half of {@code src}'s remaining bytes, consumed from it. */
    private static ByteBuffer half(ByteBuffer src) {
        ByteBuffer half = src.duplicate();
        half.limit(half.position() + half.remaining() / 2);
        src.position(half.limit());
        return half;
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        faults.before(Operation.TRUNCATE, path);
        delegate.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        faults.before(Operation.FORCE, path);
        delegate.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        faults.before(Operation.READ, path);
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        faults.before(Operation.WRITE, path);
        return delegate.transferFrom(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
