package org.sluice.channel.file;

import java.nio.ByteBuffer;

import org.sluice.api.channel.AbstractTransaction;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.event.Event;
import org.sluice.support.collections.LongList;

/**
 * One thread's transaction on a file channel. Puts are serialized into PUT records as they come, in a
 * buffer of the transaction's own; nothing reaches the data files before commit, which appends the PUT
 * records, a TAKE record per take and the COMMIT record in one write. A rollback therefore has nothing to
 * undo on disk: the puts are dropped and the takes go back to the head of the queue.
 */
final class FileTransaction extends AbstractTransaction {
    private final FileChannel channel;
    final long txId;
    private final int transactionCapacity;
    private final long maxTransactionBytes;

    /** PUT records, back to back; flipped for writing at commit. */
    ByteBuffer records;
    /** Offset of each PUT record in {@link #records}. */
    int[] putOffsets = new int[16];
    int putCount;
    /** Pointers taken, in take order; changed under the channel's lock, which checkpoints read under. */
    final LongList taken = new LongList();

    FileTransaction(FileChannel channel, long txId, int transactionCapacity, long maxTransactionBytes,
            ByteBuffer buffer) {
        this.channel = channel;
        this.txId = txId;
        this.transactionCapacity = transactionCapacity;
        this.maxTransactionBytes = maxTransactionBytes;
        this.records = buffer;
    }

    @Override
    protected void doPut(Event event) {
        if (putCount == transactionCapacity) {
            throw new ChannelException(channel + ": a transaction may put at most transactionCapacity = "
                    + transactionCapacity + " events; commit more often or raise transactionCapacity");
        }
        int size;
        try {
            size = Records.putRecordSize(event);
        } catch (RuntimeException e) {
            throw new ChannelException(channel + ": cannot store an event: " + e.getMessage(), e);
        }
        long needed = (long) records.position() + size + channel.commitOverhead(putCount + 1, taken.size());
        if (needed > maxTransactionBytes) {
            throw new ChannelException(channel + ": the transaction's " + (putCount + 1) + " events need " + needed
                    + " bytes, more than a data file holds (maxFileSize less its header); commit smaller batches "
                    + "or raise maxFileSize");
        }
        if (records.remaining() < size) {
            ByteBuffer grown = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8,
                    Math.max((long) records.capacity() * 2, (long) records.position() + size)));
            records.flip();
            grown.put(records);
            records = grown;
        }
        if (putCount == putOffsets.length) {
            putOffsets = java.util.Arrays.copyOf(putOffsets, putCount * 2);
        }
        int offset = records.position();
        try {
            Records.writePut(records, txId, event);
        } catch (RuntimeException e) {
            // A header with a null key or value: nothing of this event stays in the buffer.
            records.position(offset);
            throw new ChannelException(channel + ": cannot store an event: " + e, e);
        }
        putOffsets[putCount++] = offset;
    }

    @Override
    protected Event doTake() {
        if (taken.size() == transactionCapacity) {
            throw new ChannelException(channel + ": a transaction may take at most transactionCapacity = "
                    + transactionCapacity + " events; commit more often or raise transactionCapacity");
        }
        return channel.take(this);
    }

    @Override
    protected void doCommit() {
        channel.commit(this);
    }

    @Override
    protected void doRollback() {
        channel.rollback(this);
    }

    @Override
    protected void doClose() {
        channel.release(this);
    }
}
