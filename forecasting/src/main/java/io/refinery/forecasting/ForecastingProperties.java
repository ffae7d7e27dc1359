package io.refinery.forecasting;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * @param parallelism         threads fitting series (default: all cores)
 * @param backtestOrigins     rolling origins per series when choosing a model
 * @param schedule            cron of the scheduled run ("-" = none)
 * @param scheduledGrain      grain of scheduled and data-triggered runs
 * @param scheduledHorizon    horizon of scheduled and data-triggered runs
 * @param dataTriggerInterval how often to look for changed served demand ("0s" = never)
 * @param dataTriggerQuietPeriod the least time between two data-triggered runs, so a steady stream
 *                            of small changes does not keep the forecaster busy
 * @param globalCandidate     whether a run learns one global Tribuo regression across its series and
 *                            offers it to every series' selection beside the local models
 */
@Validated
@ConfigurationProperties("refinery.forecasting")
public record ForecastingProperties(
        @Min(0) @DefaultValue("0") int parallelism,
        @Min(1) @DefaultValue("3") int backtestOrigins,
        @DefaultValue("0 0 2 * * *") String schedule,
        @DefaultValue("WEEK") Grain scheduledGrain,
        @Min(1) @DefaultValue("12") int scheduledHorizon,
        @DefaultValue("30s") Duration dataTriggerInterval,
        @DefaultValue("15m") Duration dataTriggerQuietPeriod,
        @DefaultValue("true") boolean globalCandidate) {

    public int effectiveParallelism() {
        return parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
    }
}
