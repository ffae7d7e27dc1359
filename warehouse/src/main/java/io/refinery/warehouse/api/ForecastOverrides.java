package io.refinery.warehouse.api;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;
import static org.jooq.impl.DSL.val;

/**
 * Planner overrides and their audit trail; the audit is append-only.
 *
 * <p>The carry-over rule: the final value of a cell (sku × location × period) in run R is the
 * planner's newest decision on that cell made on R or on any run that started before R. A decision
 * is setting a value or clearing it; a clear ends the carry-over. So an override stays in every later
 * export until a planner clears or replaces it, and older runs' exports never change because of
 * decisions made on newer runs.
 */
@Repository
public class ForecastOverrides {

    private static final Field<String> RUN_ID = field(name("run_id"), String.class);
    private static final Field<String> SKU = field(name("sku"), String.class);
    private static final Field<String> LOCATION = field(name("location"), String.class);
    private static final Field<LocalDate> PERIOD = field(name("period"), LocalDate.class);

    /**
     * The decisions that count for run {0}: on itself and on every run that started before it, for
     * the cells run {0} forecasts. A plain-SQL template with the run id bound, never concatenated.
     */
    private static final String RUNS_UP_TO = "(run_id = {0} OR run_id IN (SELECT run_id FROM forecast_runs FINAL"
            + " WHERE started_at <= (SELECT max(started_at) FROM forecast_runs FINAL WHERE run_id = {0})))"
            + " AND (sku, location, period) IN (SELECT sku, location, period FROM forecasts WHERE run_id = {0})";

    /**
     * The effective overrides of run {0}, one row per cell; the newest decision wins. The aliases
     * differ from the column names on purpose: ClickHouse substitutes aliases into expressions, so
     * {@code max(overridden_at) AS overridden_at} would nest aggregates.
     */
    private static final String EFFECTIVE = """
            (SELECT sku, location, period,
                    argMax(value, (overridden_at, version)) AS e_value,
                    argMax(cleared, (overridden_at, version)) AS e_cleared,
                    argMax(run_id, (overridden_at, version)) AS e_run_id,
                    argMax(statistical, (overridden_at, version)) AS e_statistical,
                    argMax(reason, (overridden_at, version)) AS e_reason,
                    argMax(overridden_by, (overridden_at, version)) AS e_overridden_by,
                    toUnixTimestamp64Milli(max(overridden_at)) AS e_overridden_at_ms
             FROM forecast_overrides FINAL
             WHERE""" + " (" + RUNS_UP_TO + ")" + """

             GROUP BY sku, location, period
             HAVING NOT e_cleared)""";

    private final DSLContext dsl;

    ForecastOverrides(DSLContext warehouseDsl) {
        this.dsl = warehouseDsl;
    }

    /** The effective overrides of a run's cells, own and carried over (their {@code runId} is the run overridden). */
    public List<ForecastOverride> forRun(String runId) {
        return current(runId, null, null, null);
    }

    public Optional<ForecastOverride> find(String runId, String sku, String location, LocalDate period) {
        return current(runId, sku, location, period).stream().findFirst();
    }

    /** Records the new final value: audit first, so a crash never leaves a change without its trail. */
    public ForecastOverride save(ForecastOverride override) {
        write(override, false);
        return override;
    }

    /**
     * Clears the cell's override for this run and every later run (until a planner overrides it
     * again); the final value is the statistical one again. Returns the cleared override, or empty
     * when the cell had none in effect.
     */
    public Optional<ForecastOverride> clear(String runId, String sku, String location, LocalDate period,
                                            double statistical, String reason, String actor, Instant at) {
        Optional<ForecastOverride> effective = find(runId, sku, location, period);
        effective.ifPresent(o -> write(new ForecastOverride(runId, sku, location, period, statistical, statistical,
                reason, actor, at), true));
        return effective;
    }

    private void write(ForecastOverride override, boolean cleared) {
        double old = find(override.runId(), override.sku(), override.location(), override.period())
                .map(ForecastOverride::value).orElse(override.statistical());
        dsl.execute("INSERT INTO forecast_override_audit (run_id, sku, location, period, old_value, new_value,"
                        + " statistical, reason, actor, at, cleared) VALUES ({0}, {1}, {2}, toDate({3}), {4}, {5}, {6},"
                        + " {7}, {8}, fromUnixTimestamp64Milli({9}, 'UTC'), {10})",
                override.runId(), override.sku(), override.location(), override.period().toString(), old,
                override.value(), override.statistical(), override.reason(), override.overriddenBy(),
                override.overriddenAt().toEpochMilli(), cleared);
        dsl.execute("INSERT INTO forecast_overrides (run_id, sku, location, period, statistical, value, reason,"
                        + " overridden_by, overridden_at, version, cleared) VALUES ({0}, {1}, {2}, toDate({3}), {4}, {5},"
                        + " {6}, {7}, fromUnixTimestamp64Milli({8}, 'UTC'), toUInt64(toUnixTimestamp64Nano(now64(9))), {9})",
                override.runId(), override.sku(), override.location(), override.period().toString(),
                override.statistical(), override.value(), override.reason(), override.overriddenBy(),
                override.overriddenAt().toEpochMilli(), cleared);
    }

    /** Every decision that shaped the run's final values: on the run itself and on runs that started before it. */
    public List<OverrideAudit> audit(String runId) {
        return dsl.select(RUN_ID, SKU, LOCATION, field("toString(period)", String.class), field(name("old_value")),
                        field(name("new_value")), field(name("statistical")), field(name("reason")), field(name("actor")),
                        field("toUnixTimestamp64Milli(at)", Long.class), field(name("cleared"), Boolean.class))
                .from(table(name("forecast_override_audit")))
                .where(field("(" + RUNS_UP_TO + ")", Boolean.class, val(runId)))
                .orderBy(field(name("at")), SKU, LOCATION, PERIOD)
                .fetch(r -> new OverrideAudit(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class),
                        LocalDate.parse(r.get(3, String.class)), r.get(4, Double.class), r.get(5, Double.class),
                        r.get(6, Double.class), r.get(7, String.class), r.get(8, String.class),
                        Instant.ofEpochMilli(r.get(9, Long.class)), Boolean.TRUE.equals(r.get(10, Boolean.class))));
    }

    /** The effective overrides of {@code runId} as a derived table (sku, location, period, e_*), for joins. */
    static Table<?> effective(String runId) {
        return table(EFFECTIVE, val(runId));
    }

    private List<ForecastOverride> current(String runId, String sku, String location, LocalDate period) {
        var where = org.jooq.impl.DSL.noCondition();
        if (sku != null) {
            where = where.and(SKU.eq(sku)).and(LOCATION.eq(location))
                    .and(PERIOD.eq(field("toDate({0})", LocalDate.class, period.toString())));
        }
        return dsl.select(field(name("e_run_id"), String.class), SKU, LOCATION, field("toString(period)", String.class),
                        field(name("e_statistical")), field(name("e_value")), field(name("e_reason")),
                        field(name("e_overridden_by")), field(name("e_overridden_at_ms"), Long.class))
                .from(effective(runId))
                .where(where)
                .orderBy(SKU, LOCATION, PERIOD)
                .fetch(r -> new ForecastOverride(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class),
                        LocalDate.parse(r.get(3, String.class)), r.get(4, Double.class), r.get(5, Double.class),
                        r.get(6, String.class), r.get(7, String.class), Instant.ofEpochMilli(r.get(8, Long.class))));
    }
}
