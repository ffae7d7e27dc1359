package io.refinery.ops.orchestration;

import io.refinery.forecasting.ForecastRequest;
import io.refinery.forecasting.ForecastRun;
import io.refinery.forecasting.ForecastRuns;
import io.refinery.forecasting.ForecastingProperties;
import io.refinery.forecasting.Scope;

import java.time.Duration;
import java.util.List;

/**
 * Forecast run of the whole scope through the forecasting facade, when its upstream changed (served
 * demand, or the quality checks once they gate it) or on schedule. Under the orchestrator's lease,
 * so one replica runs it at a time; the step waits for the run and reports its progress.
 */
final class ForecastJob implements JobStep {

    static final String NAME = "forecast";

    private final ForecastRuns runs;
    private final ForecastingProperties forecasting;
    private final OrchestrationProperties.Forecast settings;

    ForecastJob(ForecastRuns runs, ForecastingProperties forecasting, OrchestrationProperties.Forecast settings) {
        this.runs = runs;
        this.forecasting = forecasting;
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Forecasts every served series (" + forecasting.scheduledGrain() + ", horizon "
                + forecasting.scheduledHorizon() + ")";
    }

    @Override
    public List<String> upstream() {
        return settings.upstream() == null || settings.upstream().isBlank() || "-".equals(settings.upstream())
                ? List.of() : List.of(settings.upstream());
    }

    @Override
    public String schedule() {
        return settings.schedule();
    }

    @Override
    public Duration timeout() {
        return settings.timeout();
    }

    @Override
    public Duration quietPeriod() {
        return settings.quietPeriod();
    }

    @Override
    public void run(JobContext context) throws Exception {
        ForecastRun run = runs.start(new ForecastRequest(forecasting.scheduledGrain(), forecasting.scheduledHorizon(),
                Scope.ALL), "orchestrator", context.trigger());
        context.detail("forecast run " + run.runId());
        while (!run.status().finished()) {
            if (context.cancelled()) {
                throw new IllegalStateException("cancelled while forecast run " + run.runId() + " was "
                        + run.status().name().toLowerCase());
            }
            Thread.sleep(500);
            run = runs.find(run.runId()).orElse(run);
            context.progress(run.progress());
        }
        if (run.status() == io.refinery.forecasting.RunStatus.BLOCKED) {
            context.halt("forecast run " + run.runId() + " blocked: " + run.message()); // data must change first; no retry
            return;
        }
        if (run.status() != io.refinery.forecasting.RunStatus.SUCCEEDED) {
            throw new IllegalStateException("forecast run " + run.runId() + " failed: " + run.message());
        }
        context.detail("forecast run " + run.runId() + " succeeded"
                + (run.accuracy() == null ? "" : ", " + run.accuracy().series() + " series"));
    }
}
