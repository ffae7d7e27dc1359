package io.refinery.forecasting;

import java.util.List;
import java.util.Optional;

/**
 * Forecast runs: started on demand, on a schedule or when the served demand changes; versioned,
 * reproducible and stored in the warehouse. Blocking calls (JDBC): reactive callers wrap them on
 * a bounded scheduler.
 */
public interface ForecastRuns {

    /** The id that names the newest successful run. */
    String LATEST = "latest";

    /**
     * Queues a run and returns at once. At most one run per scope is active: a second request for a
     * scope that is queued or running gets {@link RunAlreadyActiveException}.
     */
    ForecastRun start(ForecastRequest request, String requestedBy, String trigger);

    /** Newest first. */
    List<ForecastRun> list(int limit);

    /** A run by id, or the newest successful run for {@link #LATEST}. */
    Optional<ForecastRun> find(String runId);

    /** The run's forecasts, optionally for one SKU and/or location (null = all), ordered by sku, location, period. */
    List<ForecastPoint> forecasts(String runId, String sku, String location);

    /** Backtest accuracy per series of a run. */
    List<SeriesAccuracy> seriesAccuracy(String runId);

    /** Thrown when a run for the same scope is already queued or running. */
    final class RunAlreadyActiveException extends RuntimeException {
        private final String activeRunId;

        public RunAlreadyActiveException(String activeRunId) {
            super("a forecast run for this scope is already active: " + activeRunId);
            this.activeRunId = activeRunId;
        }

        public String activeRunId() {
            return activeRunId;
        }
    }
}
