package io.refinery.ops.orchestration;

import java.time.Instant;

/** What a running job step knows and can report. */
public interface JobContext {

    String job();

    String scope();

    /** schedule, data, manual, backfill. */
    String trigger();

    /** The occasion: a cron fire time, the upstream versions, a request id or a time range. */
    String triggerKey();

    /** 1 for the first attempt. */
    int attempt();

    /** The lease's fencing epoch: grows with every new holder of this job and scope. */
    long leaseEpoch();

    /** Start of the time range a backfill covers (null for online runs). */
    Instant rangeFrom();

    /** End (exclusive) of the time range a backfill covers (null for online runs). */
    Instant rangeTo();

    /** Reports progress in [0, 1] (stored at most about once a second). */
    void progress(double fraction);

    /** A short result for the run history (counts, ids). */
    void detail(String detail);

    /** True once the attempt timed out or the lease was lost: stop as soon as possible. */
    boolean cancelled();

    /** Ends the run without retries and without triggering downstream jobs. */
    void halt(String reason);

    /** Thrown by {@link #halt}. */
    final class Halted extends RuntimeException {
        public Halted(String reason) {
            super(reason);
        }
    }
}
