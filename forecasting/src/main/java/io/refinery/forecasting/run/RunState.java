package io.refinery.forecasting.run;

import io.refinery.forecasting.ForecastRequest;
import io.refinery.forecasting.ForecastRun;
import io.refinery.forecasting.RunAccuracy;
import io.refinery.forecasting.RunLineage;
import io.refinery.forecasting.RunStatus;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** The mutable state of a run while it executes; stored as a new version at each step. */
final class RunState {

    private static final long REPORT_EVERY_MILLIS = 1_000;

    final String runId;
    final ForecastRequest request;
    final String requestedBy;
    final String trigger;
    final Instant startedAt;
    volatile RunStatus status = RunStatus.QUEUED;
    volatile double progress;
    volatile Instant finishedAt;
    volatile RunAccuracy accuracy;
    volatile Instant dataAsOf;
    volatile long dataVersion;
    volatile long seriesRead;
    volatile Map<String, Long> modelsChosen = new TreeMap<>();
    volatile String trainerProvenance = "";
    volatile String message = "";
    private long lastReport = System.currentTimeMillis();

    RunState(String runId, ForecastRequest request, String requestedBy, String trigger, Instant startedAt) {
        this.runId = runId;
        this.request = request;
        this.requestedBy = requestedBy;
        this.trigger = trigger;
        this.startedAt = startedAt;
    }

    long elapsedMillis() {
        return (finishedAt == null ? Instant.now() : finishedAt).toEpochMilli() - startedAt.toEpochMilli();
    }

    /** Stores progress at most once a second, from whichever worker thread gets there first. */
    void maybeReport(ForecastRunService service) {
        long now = System.currentTimeMillis();
        synchronized (this) {
            if (now - lastReport < REPORT_EVERY_MILLIS) {
                return;
            }
            lastReport = now;
        }
        service.save(this);
    }

    ForecastRun toRun() {
        return new ForecastRun(runId, status, progress, trigger, requestedBy, request, startedAt, finishedAt,
                elapsedMillis(), accuracy, new RunLineage(dataAsOf, dataVersion, seriesRead, CodeVersion.current(),
                modelsChosen, trainerProvenance), message);
    }
}
