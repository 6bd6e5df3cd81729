package org.sluice.support.log;

import org.sluice.api.component.Range;

/**
 * Flume 1.11's file channel keys that shape a durable log, with its defaults and its tolerance, declared once for
 * the channels that keep events on disk: Flume's spillable memory channel overflows into a file channel configured
 * from the same keys, so its overflow takes them as they are. A factory includes them in its configuration type,
 * {@code @IncludeKeys(DurableLogKeys.class)}, and reads them with {@code context.config(DurableLogKeys.class)}.
 *
 * <p>The bounds below are the values Flume adjusts silently rather than refusing them; each factory applies them.
 */
public @interface DurableLogKeys {
    /** Enough for the file header and a few records: anything smaller could not hold an event. */
    long MIN_FILE_SIZE = 1024;
    /** Flume's ceiling, to which a larger maxFileSize is lowered: a data file is addressed by an int offset. */
    long MAX_FILE_SIZE = 2146435071L;
    /** Flume's floor for minimumRequiredSpace, to which a smaller value is raised: 1 MiB. */
    long MIN_REQUIRED_SPACE = 1024L * 1024L;
    /** Flume's checkpoints are at least this far apart: a shorter checkpointInterval is raised to this. */
    long MIN_CHECKPOINT_INTERVAL = 1000;

    /** Where the checkpoint goes; empty: the channel's own default. */
    String checkpointDir() default "";

    /** Comma-separated data directories, ideally on different disks; empty: the channel's own default. */
    String dataDirs() default "";

    /** Events one transaction puts or takes at most; below 1: the default, with a warning, as in Flume. */
    @Range(min = 1, fallBack = true)
    int transactionCapacity() default 10000;

    /**
     * Milliseconds between checkpoints; below 1: the default, with a warning, and below
     * {@value #MIN_CHECKPOINT_INTERVAL}: {@value #MIN_CHECKPOINT_INTERVAL}, as in Flume.
     */
    @Range(min = 1, fallBack = true)
    long checkpointInterval() default 30000;

    /**
     * Bytes a data file grows to before the next one is started; more than Flume's ceiling is the ceiling, as in
     * Flume. Flume refuses 0 and less; Sluice refuses less than {@value #MIN_FILE_SIZE}.
     */
    @Range(min = MIN_FILE_SIZE)
    long maxFileSize() default MAX_FILE_SIZE;

    /** Free bytes a data directory must keep; below this, puts are refused. Less than 1 MiB is 1 MiB, as in Flume. */
    long minimumRequiredSpace() default 524288000L;

    /** Also write each checkpoint to backupCheckpointDir, used when the checkpoint is damaged. */
    boolean useDualCheckpoints() default false;

    /** Where the backup checkpoint goes; empty: the channel's own default. */
    String backupCheckpointDir() default "";

    /** Write a checkpoint when the channel stops, so the next start replays nothing. */
    boolean checkpointOnClose() default true;

    /** Force the data files at every commit (true) or every fsyncInterval seconds (false). */
    boolean fsyncPerTransaction() default true;

    /**
     * Seconds between forces when fsyncPerTransaction is false; then below 1 fails the channel, as in Flume (it is
     * not read otherwise, so this rule depends on two keys and is checked in the factory's create).
     */
    int fsyncInterval() default 5;

    /** Flume's replay variants; accepted, Sluice has one replay. */
    boolean use$_$log$_$replay$_$v1() default false;

    boolean use$_$fast$_$replay() default false;
}
