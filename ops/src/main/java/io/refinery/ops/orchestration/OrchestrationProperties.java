package io.refinery.ops.orchestration;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Orchestration settings ({@code refinery.orchestration.*}).
 *
 * @param enabled             run the job graph in this process (every replica may; leases keep runs single)
 * @param tick                how often triggers are evaluated (schedules, asset versions, pending occasions)
 * @param onlineConcurrency   jobs running at once on the online lane
 * @param backfillConcurrency chunks running at once on the backfill lane (its own threads: backfills
 *                            never delay the online lane)
 * @param backfillChunk       a backfill range is split into chunks of this length
 * @param retryBackoff        wait before the second attempt; doubled for each further one
 * @param maxRetryBackoff     the longest wait between attempts
 * @param stopGrace           on shutdown, how long runs in flight may finish before they are interrupted (an
 *                            interrupted run is not final: another replica runs its occasion again)
 * @param forecast            the forecast job
 */
@Validated
@ConfigurationProperties("refinery.orchestration")
public record OrchestrationProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1s") Duration tick,
        @Min(1) @DefaultValue("4") int onlineConcurrency,
        @Min(1) @DefaultValue("1") int backfillConcurrency,
        @DefaultValue("1d") Duration backfillChunk,
        @DefaultValue("2s") Duration retryBackoff,
        @DefaultValue("5m") Duration maxRetryBackoff,
        @DefaultValue("30s") Duration stopGrace,
        @DefaultValue Forecast forecast) {

    /**
     * @param enabled     the forecast and lead-time jobs exist (they need the forecasting module)
     * @param upstream    what triggers a forecast run: served demand, or {@code job:quality-checks} once quality gates
     *                    run; "-" = only the schedule and requests
     * @param schedule    cron of scheduled forecast runs ("-" = none)
     * @param quietPeriod least time between two data-triggered forecast runs
     * @param timeout     longest a forecast run may take
     */
    public record Forecast(@DefaultValue("true") boolean enabled,
                           @DefaultValue("job:quality-checks") String upstream,
                           @DefaultValue("0 0 2 * * *") String schedule,
                           @DefaultValue("15m") Duration quietPeriod,
                           @DefaultValue("2h") Duration timeout) {
    }
}
