package io.refinery.warehouse.api;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/** Planner overrides and their audit trail; the audit is append-only. */
@Repository
public class ForecastOverrides {

    private static final Field<String> RUN_ID = field(name("run_id"), String.class);
    private static final Field<String> SKU = field(name("sku"), String.class);
    private static final Field<String> LOCATION = field(name("location"), String.class);
    private static final Field<LocalDate> PERIOD = field(name("period"), LocalDate.class);

    private final DSLContext dsl;

    ForecastOverrides(DSLContext warehouseDsl) {
        this.dsl = warehouseDsl;
    }

    public List<ForecastOverride> forRun(String runId) {
        return current(RUN_ID.eq(runId));
    }

    public Optional<ForecastOverride> find(String runId, String sku, String location, LocalDate period) {
        return current(RUN_ID.eq(runId).and(SKU.eq(sku)).and(LOCATION.eq(location)).and(PERIOD.eq(field("toDate({0})", LocalDate.class, period.toString()))))
                .stream().findFirst();
    }

    /** Records the new final value: audit first, so a crash never leaves a change without its trail. */
    public ForecastOverride save(ForecastOverride override) {
        double old = find(override.runId(), override.sku(), override.location(), override.period())
                .map(ForecastOverride::value).orElse(override.statistical());
        dsl.execute("INSERT INTO forecast_override_audit (run_id, sku, location, period, old_value, new_value,"
                        + " statistical, reason, actor, at) VALUES ({0}, {1}, {2}, toDate({3}), {4}, {5}, {6}, {7}, {8},"
                        + " fromUnixTimestamp64Milli({9}, 'UTC'))",
                override.runId(), override.sku(), override.location(), override.period().toString(), old,
                override.value(), override.statistical(), override.reason(), override.overriddenBy(),
                override.overriddenAt().toEpochMilli());
        dsl.execute("INSERT INTO forecast_overrides (run_id, sku, location, period, statistical, value, reason,"
                        + " overridden_by, overridden_at, version) VALUES ({0}, {1}, {2}, toDate({3}), {4}, {5}, {6}, {7},"
                        + " fromUnixTimestamp64Milli({8}, 'UTC'), toUInt64(toUnixTimestamp64Nano(now64(9))))",
                override.runId(), override.sku(), override.location(), override.period().toString(),
                override.statistical(), override.value(), override.reason(), override.overriddenBy(),
                override.overriddenAt().toEpochMilli());
        return override;
    }

    public List<OverrideAudit> audit(String runId) {
        return dsl.select(RUN_ID, SKU, LOCATION, field("toString(period)", String.class), field(name("old_value")),
                        field(name("new_value")), field(name("statistical")), field(name("reason")), field(name("actor")),
                        field("toUnixTimestamp64Milli(at)", Long.class))
                .from(table(name("forecast_override_audit")))
                .where(RUN_ID.eq(runId))
                .orderBy(field(name("at")), SKU, LOCATION, PERIOD)
                .fetch(r -> new OverrideAudit(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class),
                        LocalDate.parse(r.get(3, String.class)), r.get(4, Double.class), r.get(5, Double.class),
                        r.get(6, Double.class), r.get(7, String.class), r.get(8, String.class),
                        Instant.ofEpochMilli(r.get(9, Long.class))));
    }

    private List<ForecastOverride> current(Condition condition) {
        return dsl.select(RUN_ID, SKU, LOCATION, field("toString(period)", String.class), field(name("statistical")),
                        field(name("value")), field(name("reason")), field(name("overridden_by")),
                        field("toUnixTimestamp64Milli(overridden_at)", Long.class))
                .from(table("forecast_overrides FINAL"))
                .where(condition)
                .orderBy(SKU, LOCATION, PERIOD)
                .fetch(r -> new ForecastOverride(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class),
                        LocalDate.parse(r.get(3, String.class)), r.get(4, Double.class), r.get(5, Double.class),
                        r.get(6, String.class), r.get(7, String.class), Instant.ofEpochMilli(r.get(8, Long.class))));
    }
}
