package io.refinery.ops.orchestration;

import java.time.Duration;
import java.util.List;

/**
 * A node of the job graph, contributed as a bean: the orchestrator runs it when one of its upstream
 * assets changes, on its cron schedule, or by hand; at most once at a time per scope across all
 * replicas (a warehouse lease), with retries, a timeout and a run history.
 *
 * <p>Upstream assets are data assets ({@code raw.batches}, {@code cleaned}, {@code served.demand},
 * {@code served.lead_times}, see {@link io.refinery.warehouse.jobs.AssetVersions}) or other jobs
 * ({@code job:<name>}, changed by each successful run of that job): that is how the graph is wired.
 */
public interface JobStep {

    /** Unique, URL-safe name ({@code [a-z0-9-]+}). */
    String name();

    /** One sentence for people. */
    default String description() {
        return "";
    }

    /** Assets whose change triggers a run; empty = not data-triggered. */
    default List<String> upstream() {
        return List.of();
    }

    /** Cron expression (six fields, UTC) of scheduled runs; null or "-" = none. */
    default String schedule() {
        return null;
    }

    /** The scopes it runs for (each its own lease and history); "*" = the whole. */
    default List<String> scopes() {
        return List.of("*");
    }

    default Duration timeout() {
        return Duration.ofMinutes(30);
    }

    /** Attempts per occasion, the first included; retries back off exponentially. */
    default int maxAttempts() {
        return 3;
    }

    /** Least time between two data-triggered runs, so a steady stream of small changes does not keep it busy. */
    default Duration quietPeriod() {
        return Duration.ZERO;
    }

    /**
     * Does the work. Throw to fail the attempt (it is retried); call {@link JobContext#halt} to stop
     * without retries and without triggering downstream jobs (e.g. a blocking quality check failed).
     * Long work should report {@link JobContext#progress} and stop when {@link JobContext#cancelled()}.
     */
    void run(JobContext context) throws Exception;
}
