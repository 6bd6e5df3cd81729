package org.sluice.channel.spillable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.sluice.api.channel.AbstractTransaction;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.event.Event;
import org.sluice.support.log.CorruptRecordException;

/**
 * One thread's transaction on a spillable memory channel. Puts stay in the transaction until commit, which
 * sends all of them to memory or all of them to the overflow. Takes reserve events from the head of the
 * drain order; an overflow take reads its event from the log at once and writes its take record at commit,
 * in the same record as the commit's spilled puts.
 */
final class SpillableTransaction extends AbstractTransaction {
    private final SpillableChannel channel;
    private final SpillableChannel.Settings settings;

    private final List<Event> puts = new ArrayList<>();
    private long[] putSlots = new long[16];
    private long putSlotTotal;

    private final List<SpillableChannel.Held> memoryTaken = new ArrayList<>();
    private long memoryTakenSlots;
    private long[] overflowTaken = new long[16];
    private int overflowCount;
    private boolean[] fromOverflow = new boolean[16];
    private int takes;

    SpillableTransaction(SpillableChannel channel) {
        this.channel = channel;
        this.settings = channel.settings();
    }

    @Override
    protected void doPut(Event event) {
        channel.checkRunning();
        if (puts.size() == settings.transactionCapacity()) {
            throw new ChannelException("spillable memory channel " + channel.name() + ": a transaction may put at "
                    + "most transactionCapacity = " + settings.transactionCapacity() + " events");
        }
        if (puts.size() == putSlots.length) {
            putSlots = Arrays.copyOf(putSlots, putSlots.length * 2);
        }
        long slots = slotsOf(event);
        putSlots[puts.size()] = slots;
        putSlotTotal += slots;
        puts.add(event);
    }

    /** Flume's accounting: bodies in slots of avgEventSize bytes, an empty body taking one. */
    private long slotsOf(Event event) {
        int length = event.getBody().length;
        return length == 0 ? 1 : (length + settings.bytesPerSlot() - 1) / settings.bytesPerSlot();
    }

    @Override
    protected Event doTake() {
        if (takes == settings.transactionCapacity()) {
            throw new ChannelException("spillable memory channel " + channel.name() + ": a transaction may take at "
                    + "most transactionCapacity = " + settings.transactionCapacity() + " events");
        }
        Object next = channel.reserve(takes == 0);
        if (next == null) {
            return null;
        }
        if (takes == fromOverflow.length) {
            fromOverflow = Arrays.copyOf(fromOverflow, takes * 2);
        }
        if (next instanceof SpillableChannel.Held held) {
            memoryTaken.add(held);
            memoryTakenSlots += held.slots();
            fromOverflow[takes++] = false;
            return held.event();
        }
        long pointer = (Long) next;
        Event event;
        try {
            event = channel.log().read(pointer);
        } catch (CorruptRecordException e) {
            channel.dropDamaged(pointer, e);
            throw new ChannelException("spillable memory channel " + channel.name() + ": the overflow event at "
                    + channel.log().describe(pointer) + " cannot be read; it is lost", e);
        } catch (IOException e) {
            // Not proven damaged (an I/O error that may pass): the event stays this transaction's, so the
            // rollback the caller must do puts it back, and a later take reads it again.
            holdOverflow(pointer);
            throw new ChannelException("spillable memory channel " + channel.name() + ": the overflow event at "
                    + channel.log().describe(pointer) + " could not be read now; it stays in the channel", e);
        }
        holdOverflow(pointer);
        return event;
    }

    private void holdOverflow(long pointer) {
        if (overflowCount == overflowTaken.length) {
            overflowTaken = Arrays.copyOf(overflowTaken, overflowCount * 2);
        }
        overflowTaken[overflowCount++] = pointer;
        fromOverflow[takes++] = true;
    }

    @Override
    protected void doCommit() {
        if (puts.isEmpty() && takes == 0) {
            return;
        }
        SpillableChannel.Decision decision = puts.isEmpty() ? null
                : channel.decide(puts.size(), putSlotTotal, memoryTaken.size(), memoryTakenSlots, overflowCount);
        long[] pointers = null;
        boolean spill = decision != null && decision.overflow();
        if (spill || overflowCount > 0) {
            try {
                if (spill && settings.minimumRequiredSpace() > 0) {
                    long free = channel.log().usableSpace();
                    if (free < settings.minimumRequiredSpace()) {
                        throw new IOException("the overflow's data directory has " + free + " bytes free, below "
                                + "minimumRequiredSpace = " + settings.minimumRequiredSpace());
                    }
                }
                long[] seqs = new long[spill ? puts.size() : 0];
                for (int i = 0; i < seqs.length; i++) {
                    seqs[i] = decision.firstSeq() + i;
                }
                pointers = new long[seqs.length];
                channel.log().append(spill ? puts : List.of(), seqs, overflowTaken, overflowCount, pointers);
            } catch (IOException | RuntimeException e) {
                channel.release(decision);
                throw new ChannelException("spillable memory channel " + channel.name() + ": the commit of "
                        + puts.size() + " puts and " + takes + " takes could not be written to the overflow; roll "
                        + "the transaction back", e);
            }
        }
        channel.apply(decision, puts, putSlots, pointers, memoryTaken.size(), memoryTakenSlots, overflowCount);
        channel.log().taken(overflowTaken, overflowCount);
        clear();
    }

    @Override
    protected void doRollback() {
        channel.giveBack(memoryTaken, overflowTaken, overflowCount, fromOverflow, takes);
        clear();
    }

    private void clear() {
        puts.clear();
        putSlotTotal = 0;
        memoryTaken.clear();
        memoryTakenSlots = 0;
        overflowCount = 0;
        takes = 0;
    }
}
