package io.refinery.ops.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.refinery.forecasting.ForecastRun;
import io.refinery.forecasting.RunAccuracy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * Forecast runs as metrics, fed by the run events the forecasting module publishes for every
 * stored state of a run: {@code refinery_forecast_run_duration_seconds{status}} (timer),
 * {@code refinery_forecast_runs_total{status}} and the latest successful run's backtest accuracy,
 * {@code refinery_forecast_accuracy{measure}} (mase, smape, wape, bias, coverage_p10_p90).
 */
@Component
class ForecastRunMetrics {

    private final MeterRegistry registry;
    /** Runs already counted: a run's final state may be announced more than once. */
    private final Set<String> finished = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 1_000;
        }
    });
    private final AtomicReference<RunAccuracy> latest = new AtomicReference<>();

    ForecastRunMetrics(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new);
        accuracy("mase", RunAccuracy::mase);
        accuracy("smape", RunAccuracy::smape);
        accuracy("wape", RunAccuracy::wape);
        accuracy("bias", RunAccuracy::bias);
        accuracy("coverage_p10_p90", RunAccuracy::coverageP10P90);
    }

    private void accuracy(String measure, ToDoubleFunction<RunAccuracy> value) {
        Gauge.builder("refinery.forecast.accuracy", latest, ref -> ref.get() == null ? Double.NaN
                        : value.applyAsDouble(ref.get()))
                .description("backtest accuracy of the latest successful forecast run")
                .tag("measure", measure)
                .register(registry);
    }

    @EventListener
    void on(ForecastRun run) {
        if (!run.status().finished()) {
            return;
        }
        synchronized (finished) {
            if (!finished.add(run.runId())) {
                return;
            }
        }
        String status = run.status().name().toLowerCase();
        Timer.builder("refinery.forecast.run.duration").description("forecast run wall time by outcome")
                .tag("status", status).register(registry).record(Duration.ofMillis(Math.max(0, run.durationMillis())));
        Counter.builder("refinery.forecast.runs").description("finished forecast runs by outcome")
                .tag("status", status).register(registry).increment();
        if (run.accuracy() != null && run.status() == io.refinery.forecasting.RunStatus.SUCCEEDED) {
            latest.set(run.accuracy());
        }
    }
}
