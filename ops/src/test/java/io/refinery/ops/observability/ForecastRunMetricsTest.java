package io.refinery.ops.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.refinery.forecasting.ForecastRequest;
import io.refinery.forecasting.ForecastRun;
import io.refinery.forecasting.Grain;
import io.refinery.forecasting.RunAccuracy;
import io.refinery.forecasting.RunStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Run events become a duration timer and counter per outcome (each run once) and the latest accuracy. */
class ForecastRunMetricsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ForecastRunMetrics metrics = new ForecastRunMetrics(
            new StaticListableBeanFactory(Map.of("registry", registry)).getBeanProvider(MeterRegistry.class));

    private static ForecastRun run(String id, RunStatus status, long millis, RunAccuracy accuracy) {
        return new ForecastRun(id, status, status.finished() ? 1 : 0.5, "manual", "test",
                new ForecastRequest(Grain.WEEK, 4, null), Instant.now().minusMillis(millis),
                status.finished() ? Instant.now() : null, millis, accuracy, null, null);
    }

    @Test
    void finishedRunsAreTimedAndCountedOnceAndTheLatestSuccessfulAccuracyIsAGauge() {
        assertThat(registry.get("refinery.forecast.accuracy").tag("measure", "mase").gauge().value()).isNaN();

        metrics.on(run("r1", RunStatus.RUNNING, 100, null));
        metrics.on(run("r1", RunStatus.SUCCEEDED, 2_000, new RunAccuracy(0.84, 13.6, 20.1, -0.02, 0.79, 50)));
        metrics.on(run("r1", RunStatus.SUCCEEDED, 2_000, new RunAccuracy(0.84, 13.6, 20.1, -0.02, 0.79, 50)));
        metrics.on(run("r2", RunStatus.FAILED, 500, null));

        var succeeded = registry.get("refinery.forecast.run.duration").tag("status", "succeeded").timer();
        assertThat(succeeded.count()).as("a repeated final event counts once").isEqualTo(1);
        assertThat(succeeded.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2_000);
        assertThat(registry.get("refinery.forecast.runs").tag("status", "failed").counter().count()).isEqualTo(1);
        assertThat(registry.find("refinery.forecast.runs").tag("status", "running").counter()).isNull();
        assertThat(registry.get("refinery.forecast.accuracy").tag("measure", "mase").gauge().value()).isEqualTo(0.84);
        assertThat(registry.get("refinery.forecast.accuracy").tag("measure", "coverage_p10_p90").gauge().value())
                .isEqualTo(0.79);
    }
}
