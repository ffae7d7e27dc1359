package io.refinery.warehouse.api;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.springframework.stereotype.Repository;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.List;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.table;

/** Demand history from the served layer, by SKU, location and/or product category. */
@Repository
public class DemandHistory {

    /** Filters; null means any. {@code from} and {@code to} are inclusive days, widened to whole periods. */
    public record Query(DemandGrain grain, String sku, String location, String category, LocalDate from,
                        LocalDate to, int limit) {
    }

    public record Row(String sku, String location, LocalDate period, BigDecimal quantity, long orderLines,
                      BigDecimal revenue) {
    }

    private static final Field<String> SKU = field(name("sku"), String.class);

    private final DSLContext dsl;

    DemandHistory(DSLContext warehouseDsl) {
        this.dsl = warehouseDsl;
    }

    public List<Row> find(Query query) {
        DemandGrain grain = query.grain();
        Field<Object> period = field(name(grain.periodColumn()));
        Condition where = noCondition();
        if (query.sku() != null) {
            where = where.and(SKU.eq(query.sku()));
        }
        if (query.location() != null) {
            where = where.and(field(name("location"), String.class).eq(query.location()));
        }
        if (query.category() != null) {
            where = where.and(SKU.in(select(SKU).from(table("products FINAL"))
                    .where(field(name("category"), String.class).eq(query.category()))));
        }
        if (query.from() != null) {
            where = where.and(period.ge(field("toDate({0})", Object.class, periodStart(grain, query.from()).toString())));
        }
        if (query.to() != null) {
            where = where.and(period.le(field("toDate({0})", Object.class, query.to().toString())));
        }
        return dsl.select(SKU, field(name("location"), String.class), field("toString({0})", String.class, period),
                        field(name("quantity"), BigDecimal.class), field(name("order_lines"), Long.class),
                        field(name("revenue"), BigDecimal.class))
                .from(table(grain.table().source()))
                .where(where)
                .orderBy(SKU, field(name("location")), period)
                .limit(query.limit())
                .fetch(r -> new Row(r.value1(), r.value2(), LocalDate.parse(r.value3()), r.value4().stripTrailingZeros(),
                        r.value5(), r.value6().stripTrailingZeros()));
    }

    /** The newest version written to daily demand: changes whenever the served demand changes. */
    public long latestVersion() {
        Long version = dsl.select(field("max(version)", Long.class)).from(table(name("demand_daily"))).fetchOne(0, Long.class);
        return version == null ? 0 : version;
    }

    /**
     * A fingerprint of everything {@link #find} reads: daily demand (newest version and row count) and
     * the product catalogue (categories). It changes whenever a served refresh or a product change
     * lands, so read caches keyed by it never serve superseded demand. One cheap round trip.
     */
    public String servedFingerprint() {
        var r = dsl.select(field("(SELECT max(version) FROM demand_daily)", Long.class),
                field("(SELECT count() FROM demand_daily)", Long.class),
                field("(SELECT max(version) FROM products)", Long.class),
                field("(SELECT count() FROM products)", Long.class)).fetchOne();
        return r == null ? "" : r.value1() + ":" + r.value2() + ":" + r.value3() + ":" + r.value4();
    }

    static LocalDate periodStart(DemandGrain grain, LocalDate day) {
        return switch (grain) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
    }
}
