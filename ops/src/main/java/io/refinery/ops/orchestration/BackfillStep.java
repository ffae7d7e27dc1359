package io.refinery.ops.orchestration;

/**
 * A step of the backfill lane: runs for each chunk of a requested time range
 * ({@link JobContext#rangeFrom()} to {@link JobContext#rangeTo()}), on the backfill lane's own bounded
 * threads, never on a trigger.
 */
public interface BackfillStep extends JobStep {
}
