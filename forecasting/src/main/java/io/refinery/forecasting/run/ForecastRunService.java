package io.refinery.forecasting.run;

import io.refinery.forecasting.ForecastPoint;
import io.refinery.forecasting.ForecastRequest;
import io.refinery.forecasting.ForecastRun;
import io.refinery.forecasting.ForecastRuns;
import io.refinery.forecasting.ForecastingProperties;
import io.refinery.forecasting.Grain;
import io.refinery.forecasting.RunAccuracy;
import io.refinery.forecasting.RunGate;
import io.refinery.forecasting.RunLineage;
import io.refinery.forecasting.RunStatus;
import io.refinery.forecasting.Scope;
import io.refinery.forecasting.SeriesAccuracy;
import io.refinery.forecasting.model.Accuracy;
import io.refinery.forecasting.model.GlobalCandidates;
import io.refinery.warehouse.forecast.ForecastRows.DemandSnapshot;
import io.refinery.warehouse.forecast.ForecastRows.ForecastRow;
import io.refinery.warehouse.forecast.ForecastRows.RunRow;
import io.refinery.warehouse.forecast.ForecastRows.SeriesAccuracyRow;
import io.refinery.warehouse.forecast.ForecastStore;
import io.refinery.warehouse.lease.Lease;
import io.refinery.warehouse.lease.Leases;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Runs forecasts: reads served demand for a scope, forecasts every series in parallel with
 * intervals and backtest accuracy, reconciles the hierarchy bottom-up, and stores everything with
 * the run's lineage. Runs execute one at a time on their own thread (each already uses every
 * core); at most one run per scope is queued or running.
 */
@Service
class ForecastRunService implements ForecastRuns {

    private static final Logger log = LoggerFactory.getLogger(ForecastRunService.class);
    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
            .withZone(ZoneOffset.UTC);

    private final ForecastStore store;
    private final ForecastingProperties properties;
    private final RunEvents events;
    private final ObjectProvider<RunGate> gates;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("forecast-runner").daemon().factory());
    private final Map<String, String> activeRunByScope = new ConcurrentHashMap<>();
    /** Leases in the warehouse: one run per scope across every replica that shares it, not only in this one. */
    private final ObjectProvider<Leases> leases;

    ForecastRunService(ForecastStore store, ForecastingProperties properties, RunEvents events,
                       ObjectProvider<RunGate> gates, ObjectProvider<Leases> leases) {
        this.store = store;
        this.properties = properties;
        this.events = events;
        this.gates = gates;
        this.leases = leases;
    }

    /** The lease a run of {@code scope} holds from its start to its end, whichever replica runs it. */
    static String leaseKey(Scope scope) {
        return "forecast-run:" + scope.key();
    }

    @Override
    public ForecastRun start(ForecastRequest request, String requestedBy, String trigger) {
        String runId = "run-" + RUN_ID_TIME.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
        String active = activeRunByScope.putIfAbsent(request.scope().key(), runId);
        if (active != null) {
            throw new RunAlreadyActiveException(active);
        }
        Lease lease = null;
        try {
            Leases shared = leases.getIfAvailable();
            if (shared != null) {
                lease = shared.tryAcquire(leaseKey(request.scope())).orElseThrow(() -> new RunAlreadyActiveException(
                        activeElsewhere(request.scope())));
            }
            RunState state = new RunState(runId, request, requestedBy, trigger, Instant.now());
            save(state);
            Lease held = lease;
            runner.submit(() -> {
                // Every log line of the run carries its id: structured logs correlate on it.
                try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", runId)) {
                    execute(state, held);
                } finally {
                    if (held != null) {
                        held.close();
                    }
                }
            });
            return state.toRun();
        } catch (RuntimeException e) {
            if (lease != null) {
                lease.close();
            }
            activeRunByScope.remove(request.scope().key(), runId);
            throw e;
        }
    }

    /** True while a run for {@code scope} is queued or running. */
    boolean active(Scope scope) {
        return activeRunByScope.containsKey(scope.key());
    }

    /** The newest queued or running run of {@code scope} in the warehouse: the one another replica holds the lease for. */
    private String activeElsewhere(Scope scope) {
        return store.runs(50).stream().map(ForecastRunService::toRun)
                .filter(r -> r.request().scope().key().equals(scope.key()))
                .filter(r -> r.status() == RunStatus.QUEUED || r.status() == RunStatus.RUNNING)
                .map(ForecastRun::runId).findFirst().orElse("a run on another replica");
    }

    private void execute(RunState state, Lease lease) {
        try {
            // Gates are asked when the run is about to begin (not when it was queued): that is the
            // state of the data it would read.
            Optional<String> blocked = blockedBecause(state.request);
            if (blocked.isPresent()) {
                log.warn("Forecast run {} blocked: {}", state.runId, blocked.get());
                state.status = RunStatus.BLOCKED;
                state.message = blocked.get();
                return;
            }
            state.status = RunStatus.RUNNING;
            save(state);
            DemandSnapshot snapshot = store.demandSnapshot();
            ForecastRequest request = state.request;
            SeriesTable table = new SeriesTable(request.grain());
            store.demand(request.grain().name().toLowerCase(), request.scope().skus(), request.scope().locations(),
                    request.scope().categories(), table::add);
            List<SeriesTable.Series> series = table.series();
            state.dataAsOf = snapshot.asOf();
            state.dataVersion = snapshot.version();
            state.seriesRead = series.size();
            SeriesForecaster forecaster = new SeriesForecaster(request.horizon(), request.grain().seasonalPeriod(),
                    properties.backtestOrigins(), properties.globalCandidate());
            state.trainerProvenance = forecaster.describe();
            GlobalCandidates global = forecaster.fitGlobal(series.stream().map(SeriesTable.Series::values).toList(),
                    series.stream().map(SeriesTable.Series::prices).toList(),
                    series.stream().mapToInt(s -> SeriesTable.seasonPosition(request.grain(), s.firstPeriod())).toArray());

            SeriesForecaster.Result[] results = new SeriesForecaster.Result[series.size()];
            AtomicInteger done = new AtomicInteger();
            ForkJoinPool pool = new ForkJoinPool(properties.effectiveParallelism());
            try {
                pool.submit(() -> IntStream.range(0, series.size()).parallel().forEach(i -> {
                    results[i] = forecaster.forecast(series.get(i).values(), global == null ? null : global.forSeries(i));
                    int finished = done.incrementAndGet();
                    state.progress = 0.95 * finished / series.size();
                    state.maybeReport(this);
                })).get();
            } finally {
                pool.shutdown();
            }
            if (lease != null && !lease.isHeld()) {
                // another replica may have started the same scope meanwhile: its forecasts must not be mixed with ours
                throw new IllegalStateException("the run lost its lease on scope " + state.request.scope().key()
                        + " (the warehouse did not answer its renewals); nothing was stored");
            }
            store(state, table.lastPeriod(), series, results);
            state.status = RunStatus.SUCCEEDED;
            state.progress = 1.0;
            log.info("Forecast run {} finished: {} series in {} ms", state.runId, series.size(), state.elapsedMillis());
        } catch (Throwable t) {
            log.warn("Forecast run {} failed", state.runId, t);
            state.status = RunStatus.FAILED;
            state.message = t.getMessage() == null ? t.toString() : t.getMessage();
        } finally {
            state.finishedAt = Instant.now();
            try {
                save(state);
            } finally {
                activeRunByScope.remove(state.request.scope().key(), state.runId);
            }
        }
    }

    private Optional<String> blockedBecause(ForecastRequest request) {
        return gates.orderedStream().map(gate -> gate.blockedBecause(request)).flatMap(Optional::stream).findFirst();
    }

    private void store(RunState state, LocalDate lastPeriod, List<SeriesTable.Series> series,
                       SeriesForecaster.Result[] results) {
        Grain grain = state.request.grain();
        int horizon = state.request.horizon();
        List<ForecastRow> rows = new ArrayList<>();
        List<SeriesAccuracyRow> accuracy = new ArrayList<>();
        List<Accuracy> backtests = new ArrayList<>();
        Hierarchy hierarchy = new Hierarchy(horizon);
        Map<String, Long> models = new TreeMap<>();
        for (int i = 0; i < series.size(); i++) {
            SeriesTable.Series s = series.get(i);
            SeriesForecaster.Result r = results[i];
            double[] p10 = r.forecast().quantile(SeriesForecaster.LOW);
            double[] p50 = r.forecast().quantile(0.5);
            double[] p90 = r.forecast().quantile(SeriesForecaster.HIGH);
            for (int h = 0; h < horizon; h++) {
                double median = Math.max(0, p50[h]);
                rows.add(new ForecastRow(s.sku(), s.location(), SeriesTable.plus(grain, lastPeriod, h + 1),
                        Math.max(0, Math.min(p10[h], median)), median, Math.max(median, p90[h]), r.model()));
            }
            hierarchy.add(s.sku(), s.location(), p10, p50, p90);
            models.merge(r.model(), 1L, Long::sum);
            if (r.backtest() != null) {
                Accuracy a = r.backtest();
                backtests.add(a);
                accuracy.add(new SeriesAccuracyRow(s.sku(), s.location(), r.model(), finite(a.mase()), a.smape(),
                        finite(a.wape()), finite(a.bias()), a.coverage() / 100));
            }
        }
        rows.addAll(hierarchy.rows(grain, lastPeriod));
        if (!rows.isEmpty()) {
            store.writeForecasts(state.runId, rows);
        }
        if (!accuracy.isEmpty()) {
            store.writeSeriesAccuracy(state.runId, accuracy);
            Accuracy overall = Accuracy.summarise(backtests);
            state.accuracy = new RunAccuracy(finite(overall.mase()), overall.smape(), finite(overall.wape()),
                    finite(overall.bias()), overall.coverage() / 100, backtests.size());
        }
        state.modelsChosen = models;
    }

    private static double finite(double value) {
        return Double.isFinite(value) ? value : Double.NaN;
    }

    void save(RunState s) {
        RunAccuracy a = s.accuracy;
        store.saveRun(new RunRow(s.runId, s.status.name(), s.progress, s.trigger, s.requestedBy,
                s.request.grain().name().toLowerCase(), s.request.horizon(), s.request.scope().key(),
                s.request.scope().skus(), s.request.scope().locations(), s.request.scope().categories(), s.startedAt,
                s.finishedAt, s.elapsedMillis(), a == null ? null : nan(a.mase()), a == null ? null : nan(a.smape()),
                a == null ? null : nan(a.wape()), a == null ? null : nan(a.bias()),
                a == null ? null : nan(a.coverageP10P90()), a == null ? 0 : a.series(), s.dataAsOf, s.dataVersion,
                s.seriesRead, CodeVersion.current(), s.modelsChosen, s.trainerProvenance, s.message));
        events.publish(s.toRun());
    }

    private static Double nan(double value) {
        return Double.isNaN(value) ? null : value;
    }

    @Override
    public List<ForecastRun> list(int limit) {
        return store.runs(limit).stream().map(ForecastRunService::toRun).toList();
    }

    @Override
    public Optional<ForecastRun> find(String runId) {
        Optional<RunRow> row = LATEST.equals(runId) ? store.latestSucceededRun() : store.findRun(runId);
        return row.map(ForecastRunService::toRun);
    }

    @Override
    public List<ForecastPoint> forecasts(String runId, String sku, String location) {
        String id = resolve(runId);
        return store.forecasts(id, sku, location).stream()
                .map(r -> new ForecastPoint(id, r.sku(), r.location(), r.period(), r.p10(), r.p50(), r.p90(), r.model()))
                .toList();
    }

    @Override
    public List<SeriesAccuracy> seriesAccuracy(String runId) {
        return store.seriesAccuracy(resolve(runId)).stream()
                .map(r -> new SeriesAccuracy(r.sku(), r.location(), r.model(), r.mase(), r.smape(), r.wape(), r.bias(),
                        r.coverage()))
                .toList();
    }

    private String resolve(String runId) {
        return LATEST.equals(runId) ? store.latestSucceededRun().map(RunRow::runId).orElse("") : runId;
    }

    static ForecastRun toRun(RunRow r) {
        ForecastRequest request = new ForecastRequest(Grain.valueOf(r.grain().toUpperCase()), r.horizon(),
                new Scope(r.skus(), r.locations(), r.categories()));
        RunAccuracy accuracy = r.smape() == null ? null : new RunAccuracy(orNaN(r.mase()), r.smape(), orNaN(r.wape()),
                orNaN(r.bias()), orNaN(r.coverage()), r.series());
        return new ForecastRun(r.runId(), RunStatus.valueOf(r.status()), r.progress(), r.trigger(), r.requestedBy(),
                request, r.startedAt(), r.finishedAt(), r.durationMillis(), accuracy,
                new RunLineage(r.dataAsOf(), r.dataVersion(), r.seriesRead(), r.codeVersion(), r.modelsChosen(),
                        r.trainerProvenance()), r.message());
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    @PreDestroy
    void stop() {
        runner.shutdownNow();
    }
}
