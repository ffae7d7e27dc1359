package io.refinery.warehouse.api;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.springframework.stereotype.Repository;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.table;

/**
 * Demand summed per period over every series the filters leave open (all SKUs and locations when
 * none is given): what the dashboard draws. The warehouse adds up, so the answer is one row per
 * period instead of every series' periods (about 100 000 rows for eight weeks of the demo, which
 * the browser had to download and add up itself, and which the row limit could cut short).
 */
@Repository
public class DemandTotals {

    /** Filters; null means any. {@code from} and {@code to} are inclusive days, widened to whole periods. */
    public record Query(DemandGrain grain, String sku, String location, String category, LocalDate from, LocalDate to) {
    }

    /** Total demand of one period (its first day, UTC). */
    public record PeriodTotal(LocalDate period, BigDecimal quantity, long orderLines) {
    }

    private static final Field<String> SKU = field(name("sku"), String.class);
    private static final Field<Object> DAY = field(name("day"));

    private final DSLContext dsl;

    DemandTotals(DSLContext warehouseDsl) {
        this.dsl = warehouseDsl;
    }

    public List<PeriodTotal> find(Query query) {
        // Straight from the daily table: the weekly and monthly views group per series first.
        Field<Object> period = switch (query.grain()) {
            case DAY -> DAY;
            case WEEK -> field("toMonday({0})", Object.class, DAY);
            case MONTH -> field("toStartOfMonth({0})", Object.class, DAY);
        };
        Condition where = DAY.ge(field("toDate({0})", Object.class, DemandHistory.periodStart(query.grain(), query.from()).toString()))
                .and(DAY.le(field("toDate({0})", Object.class, query.to().toString())));
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
        Field<Object> periodAlias = field(name("period"));
        return dsl.select(field("toString({0})", String.class, period).as("period"), field("sum(quantity)", BigDecimal.class),
                        field("sum(order_lines)", Long.class))
                .from(table("demand_daily FINAL"))
                .where(where)
                .groupBy(periodAlias)
                .orderBy(periodAlias)
                .fetch(r -> new PeriodTotal(LocalDate.parse(r.value1()), r.value2().stripTrailingZeros(), r.value3()));
    }
}
