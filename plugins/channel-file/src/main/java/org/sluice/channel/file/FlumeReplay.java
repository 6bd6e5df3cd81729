package org.sluice.channel.file;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

import org.sluice.support.collections.LongList;
import org.sluice.support.collections.LongSet;

/**
 * The queue a Flume file channel would recover: the events committed and not taken, in order, computed the way Flume
 * 1.11 recovers (read only; nothing is written).
 *
 * <p>Start from the checkpoint's queue (none without a checkpoint). Read every data file from its checkpoint position,
 * all files at once in the order of the records' write order, and apply the records written after the checkpoint:
 * a transaction's puts and takes count when its COMMIT record is read (a commit of puts appends them to the queue, a
 * commit of takes removes them from it), a ROLLBACK or a missing COMMIT voids them. Transactions open at the
 * checkpoint are in its in-flight files: puts listed there count if their commit comes later; takes listed there go
 * back to the head of the queue unless their commit comes later, as a rollback would have put them.
 */
final class FlumeReplay {
    /**
     * What the recovery found. {@code head}: the events taken by transactions that never committed, which go first
     * (their order among themselves is not recorded: the importer orders them by write order); {@code queue}: then
     * the rest, in order. {@code pendingTakes}: committed takes of events found nowhere (their put was in a file Flume
     * had already deleted, or is damaged).
     */
    record Result(long[] head, long[] queue, int records, int transactions, int pendingTakes) {
    }

    private final List<FlumeDataFile> files;
    private final FlumeCheckpoint checkpoint;
    private final FlumeDataFile.DamageObserver damage;

    /** Queue order; removed pointers stay in it and are left out at the end. */
    private final LongList order = new LongList();
    private final LongSet queued = new LongSet();
    private final LongSet removed = new LongSet();
    private final Set<Long> pendingTakes = new HashSet<>();

    FlumeReplay(List<FlumeDataFile> files, FlumeCheckpoint checkpoint, FlumeDataFile.DamageObserver damage) {
        this.files = files;
        this.checkpoint = checkpoint;
        this.damage = damage;
    }

    Result run() throws IOException {
        long lastCheckpoint = checkpoint == null ? 0 : checkpoint.writeOrderId();
        if (checkpoint != null) {
            for (long pointer : checkpoint.queue()) {
                append(pointer);
            }
        }
        Map<Long, Transaction> open = new HashMap<>();
        if (checkpoint != null) {
            checkpoint.inflightPuts().forEach((id, pointers) -> {
                // Flume lists them in no order; a transaction's puts are in one directory, in order of file and offset.
                Transaction transaction = open.computeIfAbsent(id, any -> new Transaction());
                for (long pointer : Arrays.stream(pointers).sorted().toArray()) {
                    transaction.pointers.add(pointer);
                }
            });
        }
        Map<Long, long[]> inflightTakes = new HashMap<>(checkpoint == null ? Map.of() : checkpoint.inflightTakes());
        // Flume's own order of replay: by write order, then transaction, then takes and puts before their end.
        PriorityQueue<FlumeDataFile.Cursor> cursors = new PriorityQueue<>(Comparator
                .comparingLong((FlumeDataFile.Cursor cursor) -> cursor.peek().record().writeOrderId())
                .thenComparingLong(cursor -> cursor.peek().record().transactionId())
                .thenComparingInt(cursor -> rank(cursor.peek().record().type())));
        for (FlumeDataFile file : files) {
            FlumeDataFile.Cursor cursor = file.cursor(file.replayStart(lastCheckpoint), damage);
            if (cursor.peek() != null) {
                cursors.add(cursor);
            }
        }
        int records = 0;
        int transactions = 0;
        while (!cursors.isEmpty()) {
            FlumeDataFile.Cursor cursor = cursors.poll();
            FlumeDataFile.Located located = cursor.poll();
            if (cursor.peek() != null) {
                cursors.add(cursor);
            }
            FlumeRecords.Record record = located.record();
            records++;
            if (record.writeOrderId() <= lastCheckpoint) {
                continue;
            }
            switch (record.type()) {
                case FlumeRecords.PUT -> open.computeIfAbsent(record.transactionId(), any -> new Transaction())
                        .pointers.add(FlumeRecords.pointer(located.fileId(), located.offset()));
                case FlumeRecords.TAKE -> open.computeIfAbsent(record.transactionId(), any -> new Transaction())
                        .pointers.add(record.takenPointer());
                case FlumeRecords.ROLLBACK -> open.remove(record.transactionId());
                case FlumeRecords.COMMIT -> {
                    transactions++;
                    Transaction transaction = open.remove(record.transactionId());
                    LongList pointers = transaction == null ? new LongList() : transaction.pointers;
                    if (record.commitType() == FlumeRecords.TAKE) {
                        // Its takes from before the checkpoint were out of the queue already: now they are done.
                        inflightTakes.remove(record.transactionId());
                        for (long pointer : pointers.toArray()) {
                            take(pointer);
                        }
                    } else {
                        for (long pointer : pointers.toArray()) {
                            append(pointer);
                            if (pendingTakes.remove(pointer)) {
                                take(pointer);
                            }
                        }
                    }
                }
                default -> throw new IllegalStateException("record type " + record.type());
            }
        }
        LongList head = new LongList();
        for (long[] pointers : inflightTakes.values()) {
            for (long pointer : pointers) {
                head.add(pointer);
            }
        }
        LongList rest = new LongList(order.size());
        for (int i = 0; i < order.size(); i++) {
            if (!removed.contains(order.get(i))) {
                rest.add(order.get(i));
            }
        }
        return new Result(head.toArray(), rest.toArray(), records, transactions, pendingTakes.size());
    }

    private void append(long pointer) {
        if (queued.add(pointer)) {
            order.add(pointer);
        }
    }

    /** A committed take: the event leaves the queue; one not queued yet may be put by a commit read later. */
    private void take(long pointer) {
        if (queued.contains(pointer) && !removed.contains(pointer)) {
            removed.add(pointer);
        } else {
            pendingTakes.add(pointer);
        }
    }

    private static int rank(short type) {
        return switch (type) {
            case FlumeRecords.TAKE -> 0;
            case FlumeRecords.PUT -> 1;
            case FlumeRecords.ROLLBACK -> 2;
            default -> 3;
        };
    }

    private static final class Transaction {
        final LongList pointers = new LongList();
    }
}
