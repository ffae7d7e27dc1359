package io.refinery.warehouse.forecast;

import io.refinery.warehouse.BulkInserter;
import io.refinery.warehouse.forecast.ForecastRows.AnomalyRow;
import io.refinery.warehouse.forecast.ForecastRows.DemandCell;
import io.refinery.warehouse.forecast.ForecastRows.DemandSnapshot;
import io.refinery.warehouse.forecast.ForecastRows.ForecastRow;
import io.refinery.warehouse.forecast.ForecastRows.LeadTimeRow;
import io.refinery.warehouse.forecast.ForecastRows.RunRow;
import io.refinery.warehouse.forecast.ForecastRows.SeriesAccuracyRow;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.table;

/** Forecast runs, forecasts, accuracy and lead-time anomaly flags, and the served demand they read. */
@Repository
public class ForecastStore {

    private static final Field<String> SKU = field(name("sku"), String.class);
    private static final Field<String> LOCATION = field(name("location"), String.class);
    private static final Field<String> RUN_ID = field(name("run_id"), String.class);
    private static final String RUN_COLUMNS = "run_id, status, progress, trigger, requested_by, grain, horizon, scope_key,"
            + " scope_skus, scope_locations, scope_categories, started_at, finished_at, duration_ms, mase, smape, wape,"
            + " bias, coverage_p10_p90, series, data_as_of, data_version, series_read, code_version, models_chosen,"
            + " trainer_provenance, message";

    private final DSLContext dsl;
    private final BulkInserter inserter;

    ForecastStore(DSLContext warehouseDsl, BulkInserter inserter) {
        this.dsl = warehouseDsl;
        this.inserter = inserter;
    }

    /**
     * Demand per series and period at {@code grain} (day, week, month), restricted to the scope
     * (empty lists = all), ordered by series then period. Periods without demand are absent.
     */
    public void demand(String grain, List<String> skus, List<String> locations, List<String> categories,
                       Consumer<DemandCell> consumer) {
        String source = switch (grain) {
            case "day" -> "(SELECT sku, location, day AS period, quantity, revenue FROM demand_daily FINAL)";
            case "week" -> "(SELECT sku, location, week AS period, quantity, revenue FROM demand_weekly)";
            case "month" -> "(SELECT sku, location, month AS period, quantity, revenue FROM demand_monthly)";
            default -> throw new IllegalArgumentException("unknown grain " + grain);
        };
        Condition scope = noCondition();
        if (!skus.isEmpty()) {
            scope = scope.and(SKU.in(skus));
        }
        if (!locations.isEmpty()) {
            scope = scope.and(LOCATION.in(locations));
        }
        if (!categories.isEmpty()) {
            scope = scope.and(SKU.in(dsl.select(SKU).from(table("products FINAL"))
                    .where(field(name("category"), String.class).in(categories))));
        }
        dsl.select(SKU, LOCATION, field(name("period"), LocalDate.class), field("toFloat64(quantity)", Double.class),
                        field("toFloat64(revenue)", Double.class))
                .from(table(source).as("d"))
                .where(scope)
                .orderBy(SKU, LOCATION, field(name("period")))
                .fetchSize(10_000)
                .forEach(r -> consumer.accept(new DemandCell(r.value1(), r.value2(), r.value3(), r.value4(), r.value5())));
    }

    public DemandSnapshot demandSnapshot() {
        Record r = dsl.fetchOne("SELECT max(version), count() FROM demand_daily");
        long version = r.get(0) == null ? 0 : ((Number) r.get(0)).longValue();
        return new DemandSnapshot(version == 0 ? null : Instant.ofEpochSecond(0, version), version);
    }

    public void saveRun(RunRow run) {
        dsl.execute("INSERT INTO forecast_runs (" + RUN_COLUMNS + ", version) VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6},"
                        + " {7}, {8}, {9}, {10}, {11}, {12}, {13}, {14}, {15}, {16}, {17}, {18}, {19}, {20}, {21}, {22},"
                        + " {23}, {24}, {25}, {26}, toUInt64(toUnixTimestamp64Nano(now64(9))))",
                run.runId(), run.status(), run.progress(), run.trigger(), run.requestedBy(), run.grain(), run.horizon(),
                run.scopeKey(), run.skus().toArray(String[]::new), run.locations().toArray(String[]::new),
                run.categories().toArray(String[]::new), ts(run.startedAt()), ts(run.finishedAt()), run.durationMillis(),
                run.mase(), run.smape(), run.wape(), run.bias(), run.coverage(), run.series(), ts(run.dataAsOf()),
                run.dataVersion(), run.seriesRead(), run.codeVersion(), mapLiteral(run.modelsChosen()),
                run.trainerProvenance(), run.message());
    }

    public Optional<RunRow> findRun(String runId) {
        return dsl.resultQuery("SELECT " + RUN_COLUMNS + " FROM forecast_runs FINAL WHERE run_id = {0}", runId)
                .fetchOptional(ForecastStore::run);
    }

    public Optional<RunRow> latestSucceededRun() {
        return dsl.resultQuery("SELECT " + RUN_COLUMNS + " FROM forecast_runs FINAL WHERE status = 'SUCCEEDED'"
                + " ORDER BY finished_at DESC LIMIT 1").fetchOptional(ForecastStore::run);
    }

    public List<RunRow> runs(int limit) {
        return dsl.resultQuery("SELECT " + RUN_COLUMNS + " FROM forecast_runs FINAL ORDER BY started_at DESC LIMIT {0}",
                inline(limit)).fetch(ForecastStore::run);
    }

    public void writeForecasts(String runId, List<ForecastRow> rows) {
        inserter.insertRowBinary("forecasts", List.of("run_id", "sku", "location", "period", "p10", "p50", "p90", "model"),
                w -> rows.forEach(r -> w.string(runId).string(r.sku()).string(r.location()).date(r.period())
                        .float64(r.p10()).float64(r.p50()).float64(r.p90()).string(r.model())));
    }

    public List<ForecastRow> forecasts(String runId, String sku, String location) {
        Condition filter = RUN_ID.eq(runId);
        if (sku != null) {
            filter = filter.and(SKU.eq(sku));
        }
        if (location != null) {
            filter = filter.and(LOCATION.eq(location));
        }
        return dsl.select(SKU, LOCATION, field(name("period"), LocalDate.class), field(name("p10"), Double.class),
                        field(name("p50"), Double.class), field(name("p90"), Double.class), field(name("model"), String.class))
                .from(table(name("forecasts")))
                .where(filter)
                .orderBy(SKU, LOCATION, field(name("period")))
                .fetch(r -> new ForecastRow(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(), r.value7()));
    }

    public void writeSeriesAccuracy(String runId, List<SeriesAccuracyRow> rows) {
        inserter.insertRowBinary("forecast_series_accuracy", List.of("run_id", "sku", "location", "model", "mase",
                "smape", "wape", "bias", "coverage_p10_p90"), w -> rows.forEach(r -> w.string(runId).string(r.sku())
                .string(r.location()).string(r.model()).float64(r.mase()).float64(r.smape()).float64(r.wape())
                .float64(r.bias()).float64(r.coverage())));
    }

    public List<SeriesAccuracyRow> seriesAccuracy(String runId) {
        return dsl.resultQuery("SELECT sku, location, model, mase, smape, wape, bias, coverage_p10_p90"
                        + " FROM forecast_series_accuracy WHERE run_id = {0} ORDER BY sku, location", runId)
                .fetch(r -> new SeriesAccuracyRow(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class),
                        r.get(3, Double.class), r.get(4, Double.class), r.get(5, Double.class), r.get(6, Double.class),
                        r.get(7, Double.class)));
    }

    /** Received PO lines with their lead times, oldest receipt first (for training and point-in-time history). */
    public List<LeadTimeRow> leadTimes(Instant receivedFrom) {
        return dsl.resultQuery("SELECT po_line_id, supplier, sku, location, toFloat64(ordered_quantity), ordered_at,"
                        + " promised_date, first_received_at, lead_time_days, delay_days FROM lead_times FINAL"
                        + " WHERE first_received_at IS NOT NULL AND first_received_at >= {0}"
                        + " ORDER BY first_received_at, po_line_id", ts(receivedFrom == null ? Instant.EPOCH : receivedFrom))
                .fetch(r -> new LeadTimeRow(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class),
                        r.get(3, String.class), r.get(4, Double.class), instant(r.get(5)), r.get(6, LocalDate.class),
                        instant(r.get(7)), r.get(8, Double.class), r.get(9, Double.class)));
    }

    public void saveAnomaly(AnomalyRow a) {
        dsl.execute("INSERT INTO lead_time_anomalies (po_line_id, supplier, sku, location, ordered_at, promised_date,"
                        + " received_at, lead_time_days, delay_days, score, expected_low_days, expected_high_days, drivers,"
                        + " model_version, flagged_at, acknowledged, acknowledged_by, version) VALUES ({0}, {1}, {2}, {3},"
                        + " {4}, {5}, {6}, {7}, {8}, {9}, {10}, {11}, {12}, {13}, {14}, {15}, {16},"
                        + " toUInt64(toUnixTimestamp64Nano(now64(9))))",
                a.poLineId(), a.supplier(), a.sku(), a.location(), ts(a.orderedAt()), a.promisedDate(), ts(a.receivedAt()),
                a.leadTimeDays(), a.delayDays(), a.score(), a.expectedLowDays(), a.expectedHighDays(),
                mapLiteral(a.drivers()), a.modelVersion(), ts(a.flaggedAt()), a.acknowledged(), a.acknowledgedBy());
    }

    /** Anomaly flags matching the filter, newest first. */
    public List<AnomalyRow> anomalies(ForecastRows.AnomalyFilter filter, int offset, int limit) {
        return dsl.select().from(table("lead_time_anomalies FINAL")).where(condition(filter))
                .orderBy(field(name("flagged_at")).desc(), field(name("po_line_id")))
                .limit(inline(limit)).offset(inline(offset))
                .fetch(ForecastStore::anomaly);
    }

    public long countAnomalies(ForecastRows.AnomalyFilter filter) {
        return dsl.fetchCount(dsl.selectOne().from(table("lead_time_anomalies FINAL")).where(condition(filter)));
    }

    private static Condition condition(ForecastRows.AnomalyFilter f) {
        Condition c = noCondition();
        if (f.poLineId() != null) {
            c = c.and(field(name("po_line_id"), String.class).eq(f.poLineId()));
        }
        if (f.supplier() != null) {
            c = c.and(field(name("supplier"), String.class).eq(f.supplier()));
        }
        if (f.sku() != null) {
            c = c.and(SKU.eq(f.sku()));
        }
        if (f.location() != null) {
            c = c.and(LOCATION.eq(f.location()));
        }
        if (f.receivedFrom() != null) {
            c = c.and(field(name("received_at"), Timestamp.class).ge(ts(f.receivedFrom())));
        }
        if (f.receivedTo() != null) {
            c = c.and(field(name("received_at"), Timestamp.class).lt(ts(f.receivedTo())));
        }
        if (f.acknowledged() != null) {
            c = c.and(field(name("acknowledged"), Boolean.class).eq(f.acknowledged()));
        }
        return c;
    }

    public void saveModelVersion(String modelId, String kind, Instant createdAt, String provenance,
                                 Map<String, Double> metrics) {
        dsl.execute("INSERT INTO model_versions (model_id, kind, created_at, provenance, metrics) VALUES ({0}, {1}, {2}, {3}, {4})",
                modelId, kind, ts(createdAt), provenance, mapLiteral(metrics));
    }

    private static RunRow run(Record r) {
        return new RunRow(r.get("run_id", String.class), r.get("status", String.class), r.get("progress", Double.class),
                r.get("trigger", String.class), r.get("requested_by", String.class), r.get("grain", String.class),
                r.get("horizon", Integer.class), r.get("scope_key", String.class), strings(r.get("scope_skus")),
                strings(r.get("scope_locations")), strings(r.get("scope_categories")), instant(r.get("started_at")),
                instant(r.get("finished_at")), r.get("duration_ms", Long.class), r.get("mase", Double.class),
                r.get("smape", Double.class), r.get("wape", Double.class), r.get("bias", Double.class),
                r.get("coverage_p10_p90", Double.class), r.get("series", Integer.class), instant(r.get("data_as_of")),
                r.get("data_version", Long.class), r.get("series_read", Long.class), r.get("code_version", String.class),
                longMap(r.get("models_chosen")), r.get("trainer_provenance", String.class), r.get("message", String.class));
    }

    private static AnomalyRow anomaly(Record r) {
        Map<String, Double> drivers = new LinkedHashMap<>();
        if (r.get("drivers") instanceof Map<?, ?> map) {
            map.forEach((k, v) -> drivers.put(String.valueOf(k), ((Number) v).doubleValue()));
        }
        return new AnomalyRow(r.get("po_line_id", String.class), r.get("supplier", String.class), r.get("sku", String.class),
                r.get("location", String.class), instant(r.get("ordered_at")), r.get("promised_date", LocalDate.class),
                instant(r.get("received_at")), r.get("lead_time_days", Double.class), r.get("delay_days", Double.class),
                r.get("score", Double.class), r.get("expected_low_days", Double.class),
                r.get("expected_high_days", Double.class), drivers, r.get("model_version", String.class),
                instant(r.get("flagged_at")), Boolean.TRUE.equals(r.get("acknowledged", Boolean.class)),
                r.get("acknowledged_by", String.class));
    }

    /** A ClickHouse map literal; keys and values are bound safely through jOOQ's inline escaping. */
    private static org.jooq.Field<?> mapLiteral(Map<String, ? extends Number> map) {
        if (map == null || map.isEmpty()) {
            return field("map()");
        }
        List<org.jooq.QueryPart> parts = map.entrySet().stream()
                .flatMap(e -> java.util.stream.Stream.<org.jooq.QueryPart>of(inline(e.getKey()), inline(e.getValue())))
                .toList();
        return field("map({0})", org.jooq.impl.DSL.list(parts.toArray(org.jooq.QueryPart[]::new)));
    }

    private static Map<String, Long> longMap(Object value) {
        Map<String, Long> result = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> result.put(String.valueOf(k), ((Number) v).longValue()));
        }
        return result;
    }

    private static List<String> strings(Object value) {
        if (value instanceof Object[] array) {
            return Arrays.stream(array).map(String::valueOf).toList();
        }
        if (value instanceof java.sql.Array sqlArray) {
            try {
                return Arrays.stream((Object[]) sqlArray.getArray()).map(String::valueOf).toList();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    static Instant instant(Object value) {
        return switch (value) {
            case null -> null;
            case Timestamp t -> t.toInstant();
            case LocalDateTime l -> l.toInstant(ZoneOffset.UTC);
            case OffsetDateTime o -> o.toInstant();
            case java.time.ZonedDateTime z -> z.toInstant();
            case Instant i -> i;
            default -> throw new IllegalArgumentException("not a timestamp: " + value.getClass());
        };
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
