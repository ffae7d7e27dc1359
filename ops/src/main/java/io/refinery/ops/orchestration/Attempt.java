package io.refinery.ops.orchestration;

import io.refinery.warehouse.jobs.JobRunRow;

import java.time.Duration;
import java.time.Instant;

/** One attempt of an occasion: the context the step sees, and its row in the run history. */
final class Attempt implements JobContext {

    private final Orchestrator orchestrator;
    private final Occasion occasion;
    private final String runId;
    private final int attempt;
    private final long epoch;
    private final Instant startedAt;
    private volatile double progress;
    private volatile String detail = "";
    private volatile String cancelReason;
    private volatile long lastSavedNanos = System.nanoTime();

    Attempt(Orchestrator orchestrator, Occasion occasion, String runId, int attempt, long epoch, Instant startedAt) {
        this.orchestrator = orchestrator;
        this.occasion = occasion;
        this.runId = runId;
        this.attempt = attempt;
        this.epoch = epoch;
        this.startedAt = startedAt;
    }

    @Override
    public String job() {
        return occasion.step().name();
    }

    @Override
    public String scope() {
        return occasion.scope();
    }

    @Override
    public String trigger() {
        return occasion.trigger();
    }

    @Override
    public String triggerKey() {
        return occasion.triggerKey();
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public long leaseEpoch() {
        return epoch;
    }

    @Override
    public Instant rangeFrom() {
        return occasion.from();
    }

    @Override
    public Instant rangeTo() {
        return occasion.to();
    }

    @Override
    public void progress(double fraction) {
        progress = Math.max(0, Math.min(1, fraction));
        if (System.nanoTime() - lastSavedNanos > 1_000_000_000L) {
            lastSavedNanos = System.nanoTime();
            save("RUNNING", null);
        }
    }

    @Override
    public void detail(String detail) {
        this.detail = detail == null ? "" : detail;
    }

    @Override
    public boolean cancelled() {
        return cancelReason != null || Thread.currentThread().isInterrupted();
    }

    @Override
    public void halt(String reason) {
        throw new Halted(reason);
    }

    void cancel(String reason) {
        if (cancelReason == null) {
            cancelReason = reason;
        }
    }

    String cancelReason() {
        return cancelReason;
    }

    void save(String status, String error) {
        boolean finished = !status.equals("RUNNING");
        Instant now = Instant.now();
        orchestrator.save(new JobRunRow(runId, job(), scope(), occasion.lane(), trigger(), triggerKey(), attempt,
                orchestrator.replica(), epoch, status, status.equals("SUCCEEDED") ? 1.0 : progress, startedAt,
                finished ? now : null, Duration.between(startedAt, now).toMillis(), error == null ? "" : error, detail));
    }
}
