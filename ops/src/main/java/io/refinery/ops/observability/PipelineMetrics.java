package io.refinery.ops.observability;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.refinery.forecasting.ForecastRuns;
import io.refinery.forecasting.LeadTimeAnomalies;
import io.refinery.forecasting.RunStatus;
import io.refinery.ingestion.Ingestion;
import io.refinery.ops.quality.CheckResult;
import io.refinery.ops.quality.CheckStatus;
import io.refinery.ops.quality.QualityGates;
import io.refinery.warehouse.ingest.IngestRecords.RouteTotals;
import io.refinery.warehouse.observability.PipelineStats;
import io.refinery.warehouse.observability.PipelineStats.LayerStorage;
import io.refinery.warehouse.observability.PipelineStats.RouteWindow;
import io.refinery.warehouse.observability.PipelineStats.SourceFreshness;
import io.refinery.warehouse.observability.PipelineStats.TableFreshness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The pipeline as gauges and counters for {@code /actuator/prometheus}, read from the warehouse
 * (the durable truth, the same on every replica) every {@code refinery.observability.refresh}:
 * <ul>
 * <li>{@code refinery_route_records_total{route,stage}}: the ingestion ledger's totals per route and
 *     stage (received, landed, cleaned, quarantined, duplicates, served). Every replica reports the
 *     same totals: aggregate with {@code max}, not {@code sum}.</li>
 * <li>{@code refinery_route_processing_lag_seconds{route}}: mean time from receipt to processed.</li>
 * <li>{@code refinery_route_quarantine_ratio{route}}: quarantined / landed over the last hour (NaN: nothing landed).</li>
 * <li>{@code refinery_route_landed_change_ratio{route}}: records landed in the last 24 h against the 24 h
 *     before, minus 1 (-0.3 = a 30 % drop; NaN: nothing the day before). Routes active in the last 48 h.</li>
 * <li>{@code refinery_source_freshness_seconds{route,source,entity}}: since the route last landed a batch.</li>
 * <li>{@code refinery_table_freshness_seconds{table}}: since the newest event time in a cleaned table;
 *     {@code refinery_table_landed_age_seconds{table}}: since its newest cleaned row.</li>
 * <li>{@code refinery_storage_bytes{layer}}, {@code refinery_storage_rows{layer}}: active parts per layer.</li>
 * <li>{@code refinery_leadtime_anomalies_open}, {@code refinery_leadtime_anomalies_recent} (receipts of the
 *     last 24 h flagged).</li>
 * <li>{@code refinery_forecast_runs_failed_recent}: failed runs among those started in the last 24 h.</li>
 * <li>{@code refinery_quality_check_passing{table,check,severity}}: 1 when the newest result of a quality check
 *     in force passed, 0 when it warned, failed or could not be measured; {@code refinery_quality_check_observed}
 *     the value it measured (checks that measure a number).</li>
 * </ul>
 * The ingestion module's own in-process counters ({@code refinery_ingestion_records_total}) sit beside
 * these; they count what this replica did since it started.
 */
@Component
public class PipelineMetrics {

    private static final Logger log = LoggerFactory.getLogger(PipelineMetrics.class);

    /** What the warehouse said at the last refresh. */
    record Snapshot(Instant at, List<RouteTotals> totals, List<RouteWindow> windows, List<SourceFreshness> sources,
                    List<TableFreshness> tables, List<LayerStorage> storage, long anomaliesOpen,
                    long anomaliesRecent, long runsFailedRecent, List<CheckResult> quality) {
        static final Snapshot EMPTY = new Snapshot(Instant.EPOCH, List.of(), List.of(), List.of(), List.of(),
                List.of(), 0, 0, 0, List.of());
    }

    private final MeterRegistry registry;
    private final PipelineStats stats;
    private final ObjectProvider<Ingestion> ingestion;
    private final ObjectProvider<ForecastRuns> runs;
    private final ObjectProvider<LeadTimeAnomalies> anomalies;
    private final ObjectProvider<QualityGates> quality;
    private final Map<String, RouteTotals> totalsByRoute = new ConcurrentHashMap<>();
    private final Set<String> countedRoutes = ConcurrentHashMap.newKeySet();
    private final MultiGauge lag;
    private final MultiGauge quarantineRatio;
    private final MultiGauge landedChange;
    private final MultiGauge sourceFreshness;
    private final MultiGauge tableFreshness;
    private final MultiGauge tableLandedAge;
    private final MultiGauge storageBytes;
    private final MultiGauge storageRows;
    private final MultiGauge qualityPassing;
    private final MultiGauge qualityObserved;
    private volatile Snapshot snapshot = Snapshot.EMPTY;

    PipelineMetrics(ObjectProvider<MeterRegistry> registry, PipelineStats stats, ObjectProvider<Ingestion> ingestion,
                    ObjectProvider<ForecastRuns> runs, ObjectProvider<LeadTimeAnomalies> anomalies,
                    ObjectProvider<QualityGates> quality) {
        this.registry = registry.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new);
        this.stats = stats;
        this.ingestion = ingestion;
        this.runs = runs;
        this.anomalies = anomalies;
        this.quality = quality;
        lag = gauge("refinery.route.processing.lag.seconds", "mean time from receipt to processed, per route");
        quarantineRatio = gauge("refinery.route.quarantine.ratio", "quarantined / landed records over the last hour");
        landedChange = gauge("refinery.route.landed.change.ratio",
                "records landed in the last 24 h against the 24 h before, minus 1");
        sourceFreshness = gauge("refinery.source.freshness.seconds", "seconds since the route last landed a batch");
        tableFreshness = gauge("refinery.table.freshness.seconds", "seconds since the newest event time in the table");
        tableLandedAge = gauge("refinery.table.landed.age.seconds", "seconds since the newest cleaned row in the table");
        storageBytes = gauge("refinery.storage.bytes", "bytes on disk of active parts per layer");
        storageRows = gauge("refinery.storage.rows", "rows of active parts per layer");
        qualityPassing = gauge("refinery.quality.check.passing",
                "1 when the newest result of the quality check passed, 0 when it warned, failed or could not run");
        qualityObserved = gauge("refinery.quality.check.observed", "the value the quality check measured last");
        Gauge.builder("refinery.leadtime.anomalies.open", this, m -> m.snapshot.anomaliesOpen())
                .description("lead-time flags not yet acknowledged").register(this.registry);
        Gauge.builder("refinery.leadtime.anomalies.recent", this, m -> m.snapshot.anomaliesRecent())
                .description("lead-time flags on receipts of the last 24 h").register(this.registry);
        Gauge.builder("refinery.forecast.runs.failed.recent", this, m -> m.snapshot.runsFailedRecent())
                .description("failed forecast runs among those started in the last 24 h").register(this.registry);
        Gauge.builder("refinery.observability.snapshot.age.seconds", this,
                        m -> Duration.between(m.snapshot.at(), Instant.now()).toMillis() / 1000.0)
                .description("seconds since these gauges were read from the warehouse").register(this.registry);
    }

    private MultiGauge gauge(String name, String description) {
        return MultiGauge.builder(name).description(description).register(registry);
    }

    /** The latest snapshot (refreshed on schedule, or now if it is older than {@code maxAge}). */
    Snapshot snapshot(Duration maxAge) {
        Snapshot s = snapshot;
        return s.at().isBefore(Instant.now().minus(maxAge)) ? refresh() : s;
    }

    @Scheduled(fixedDelayString = "${refinery.observability.refresh:15s}", initialDelayString = "5s")
    void scheduledRefresh() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // The gauges keep their last values; the snapshot age gauge shows they are getting old.
            log.warn("Observability refresh failed: {}", e.toString());
        }
    }

    /** Reads everything again from the warehouse and updates every gauge. */
    public synchronized Snapshot refresh() {
        Instant now = Instant.now();
        Ingestion ingest = ingestion.getIfAvailable();
        List<RouteTotals> totals = ingest == null ? List.of()
                : ingest.counters().stream().filter(t -> !"*".equals(t.routeId())).toList();
        List<RouteWindow> windows = stats.routeWindows();
        List<SourceFreshness> sources = stats.sources();
        List<TableFreshness> tables = stats.tables();
        List<LayerStorage> storage = stats.storageByLayer();
        LeadTimeAnomalies flags = anomalies.getIfAvailable();
        long open = flags == null ? 0 : flags.count(new LeadTimeAnomalies.Query(null, null, null, null, null, false, 0, 1));
        long recent = flags == null ? 0 : flags.count(new LeadTimeAnomalies.Query(null, null, null,
                now.minus(Duration.ofDays(1)), null, null, 0, 1));
        ForecastRuns forecastRuns = runs.getIfAvailable();
        long failed = forecastRuns == null ? 0 : forecastRuns.list(200).stream()
                .filter(r -> r.status() == RunStatus.FAILED && r.startedAt() != null
                        && r.startedAt().isAfter(now.minus(Duration.ofDays(1))))
                .count();
        QualityGates gates = quality.getIfAvailable();
        List<CheckResult> checks = gates == null ? List.of() : gates.latest();
        Snapshot s = new Snapshot(now, totals, windows, sources, tables, storage, open, recent, failed, checks);
        publish(s);
        snapshot = s;
        return s;
    }

    private void publish(Snapshot s) {
        for (RouteTotals t : s.totals()) {
            totalsByRoute.put(t.routeId(), t);
            if (countedRoutes.add(t.routeId())) {
                counter(t.routeId(), "received", RouteTotals::received);
                counter(t.routeId(), "landed", RouteTotals::landed);
                counter(t.routeId(), "cleaned", RouteTotals::cleaned);
                counter(t.routeId(), "quarantined", RouteTotals::quarantined);
                counter(t.routeId(), "duplicates", RouteTotals::duplicates);
                counter(t.routeId(), "served", RouteTotals::served);
            }
        }
        lag.register(s.totals().stream().map(t -> MultiGauge.Row.of(Tags.of("route", t.routeId()),
                t.averageLagMillis() / 1000.0)).toList(), true);
        List<MultiGauge.Row<?>> ratios = new ArrayList<>();
        List<MultiGauge.Row<?>> changes = new ArrayList<>();
        // NaN, not 0, when there is nothing to compare with: no alert fires on it and the series stays visible.
        for (RouteWindow w : s.windows()) {
            ratios.add(MultiGauge.Row.of(Tags.of("route", w.routeId()), w.landedLastHour() == 0 ? Double.NaN
                    : (double) w.quarantinedLastHour() / w.landedLastHour()));
            changes.add(MultiGauge.Row.of(Tags.of("route", w.routeId()), w.landedPrevious24h() == 0 ? Double.NaN
                    : (double) w.landedLast24h() / w.landedPrevious24h() - 1.0));
        }
        quarantineRatio.register(ratios, true);
        landedChange.register(changes, true);
        sourceFreshness.register(s.sources().stream().filter(f -> f.lastLandedAt() != null)
                .map(f -> MultiGauge.Row.of(Tags.of("route", f.routeId(), "source", nz(f.source()), "entity",
                        nz(f.entity())), f, x -> age(x.lastLandedAt()))).toList(), true);
        tableFreshness.register(s.tables().stream().filter(t -> t.maxEventTime() != null)
                .map(t -> MultiGauge.Row.of(Tags.of("table", t.table()), t, x -> age(x.maxEventTime()))).toList(), true);
        tableLandedAge.register(s.tables().stream().filter(t -> t.lastCleanedAt() != null)
                .map(t -> MultiGauge.Row.of(Tags.of("table", t.table()), t, x -> age(x.lastCleanedAt()))).toList(), true);
        storageBytes.register(s.storage().stream().map(l -> MultiGauge.Row.of(Tags.of("layer", l.layer()),
                l.bytesOnDisk())).toList(), true);
        storageRows.register(s.storage().stream().map(l -> MultiGauge.Row.of(Tags.of("layer", l.layer()),
                l.rows())).toList(), true);
        qualityPassing.register(s.quality().stream().map(c -> MultiGauge.Row.of(Tags.of("table", c.table(), "check",
                c.check(), "severity", nz(c.severity())), c.status() == CheckStatus.PASS ? 1 : 0)).toList(), true);
        qualityObserved.register(s.quality().stream().filter(c -> c.observedValue() != null
                        && Double.isFinite(c.observedValue()))
                .map(c -> MultiGauge.Row.of(Tags.of("table", c.table(), "check", c.check()), c.observedValue()))
                .toList(), true);
    }

    private void counter(String route, String stage, ToDoubleFunction<RouteTotals> value) {
        FunctionCounter.builder("refinery.route.records", totalsByRoute,
                        m -> m.containsKey(route) ? value.applyAsDouble(m.get(route)) : 0)
                .description("records per route and stage, from the ingestion ledger (same on every replica)")
                .tags("route", route, "stage", stage)
                .register(registry);
    }

    /** Seconds from {@code at} to now, at read time: the gauge keeps growing between refreshes. */
    private static double age(Instant at) {
        return Math.max(0, Duration.between(at, Instant.now()).toMillis() / 1000.0);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
