package io.refinery.api.stream;

import io.refinery.forecasting.ForecastRun;
import io.refinery.forecasting.ForecastRuns;
import io.refinery.forecasting.LeadTimeAnomalies;
import io.refinery.forecasting.LeadTimeAnomaly;
import io.refinery.ingestion.Ingestion;
import io.refinery.warehouse.api.DemandHistory;
import io.refinery.warehouse.ingest.IngestRecords.RouteTotals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The single poller behind the live stream: one look at the warehouse per interval for all clients
 * (never one per client), publishing only what changed: pipeline counters, run progress, newly
 * flagged lead times and a new version of the served demand.
 */
@Component
class LivePoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LivePoller.class);

    private final LiveStream stream;
    private final StreamProperties properties;
    private final ObjectProvider<Ingestion> ingestion;
    private final ObjectProvider<ForecastRuns> runs;
    private final ObjectProvider<LeadTimeAnomalies> anomalies;
    private final DemandHistory demand;

    private volatile Disposable polling;
    private RouteTotals lastTotals;
    private final Map<String, String> lastRunStates = new HashMap<>();
    private long lastAnomalyCount = -1;
    private long lastDemandVersion = -1;

    LivePoller(LiveStream stream, StreamProperties properties, ObjectProvider<Ingestion> ingestion,
               ObjectProvider<ForecastRuns> runs, ObjectProvider<LeadTimeAnomalies> anomalies, DemandHistory demand) {
        this.stream = stream;
        this.properties = properties;
        this.ingestion = ingestion;
        this.runs = runs;
        this.anomalies = anomalies;
        this.demand = demand;
    }

    @Override
    public void start() {
        polling = Flux.interval(properties.pollInterval(), Schedulers.boundedElastic())
                .onBackpressureDrop()
                .concatMap(tick -> Mono.fromRunnable(this::pollSafely), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable current = polling;
        if (current != null) {
            current.dispose();
        }
        polling = null;
    }

    @Override
    public boolean isRunning() {
        return polling != null && !polling.isDisposed();
    }

    private void pollSafely() {
        if (stream.clients() == 0) {
            // Nobody listens: no warehouse reads. The first poll after a client connects only sets baselines
            // for anomalies and demand, so nothing stale is announced as new.
            lastAnomalyCount = -1;
            lastDemandVersion = -1;
            return;
        }
        try {
            poll();
        } catch (RuntimeException e) {
            log.debug("Live stream poll failed: {}", e.getMessage());
        }
    }

    synchronized void poll() {
        Ingestion pipeline = ingestion.getIfAvailable();
        if (pipeline != null) {
            pipeline.counters().stream().filter(t -> "*".equals(t.routeId())).findFirst().ifPresent(totals -> {
                if (lastTotals == null || totals.received() != lastTotals.received()
                        || totals.quarantined() != lastTotals.quarantined() || totals.cleaned() != lastTotals.cleaned()) {
                    stream.publish(LiveEvent.PIPELINE, totals);
                }
                lastTotals = totals;
            });
        }
        ForecastRuns forecastRuns = runs.getIfAvailable();
        if (forecastRuns != null) {
            for (ForecastRun run : forecastRuns.list(10)) {
                String state = run.status() + "@" + Math.round(run.progress() * 100);
                if (!Objects.equals(lastRunStates.put(run.runId(), state), state)) {
                    stream.publish(LiveEvent.RUN, Map.of("runId", run.runId(), "status", run.status().name().toLowerCase(),
                            "progress", run.progress()));
                }
            }
            if (lastRunStates.size() > 1000) {
                lastRunStates.clear();
            }
        }
        LeadTimeAnomalies flags = anomalies.getIfAvailable();
        if (flags != null) {
            var all = new LeadTimeAnomalies.Query(null, null, null, null, null, null, 0, 20);
            long count = flags.count(all);
            if (lastAnomalyCount >= 0 && count > lastAnomalyCount) {
                List<LeadTimeAnomaly> newest = flags.find(new LeadTimeAnomalies.Query(null, null, null, null, null, null,
                        0, (int) Math.min(20, count - lastAnomalyCount)));
                stream.publish(LiveEvent.ANOMALIES, Map.of("total", count, "new", newest));
            }
            lastAnomalyCount = count;
        }
        long version = demand.latestVersion();
        if (lastDemandVersion >= 0 && version != lastDemandVersion) {
            stream.publish(LiveEvent.DEMAND, Map.of("version", version));
        }
        lastDemandVersion = version;
    }
}
