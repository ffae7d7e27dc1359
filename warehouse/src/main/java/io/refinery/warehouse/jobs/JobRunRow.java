package io.refinery.warehouse.jobs;

import java.time.Instant;

/** One attempt of an orchestrated job (a state of it: running with progress, or finished). */
public record JobRunRow(String runId, String job, String scope, String lane, String trigger, String triggerKey,
                        int attempt, String replica, long leaseEpoch, String status, double progress,
                        Instant startedAt, Instant finishedAt, long durationMillis, String error, String detail) {
}
