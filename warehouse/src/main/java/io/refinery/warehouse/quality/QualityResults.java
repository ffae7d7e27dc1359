package io.refinery.warehouse.quality;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStepN;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.List;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.table;
import static org.jooq.impl.DSL.val;

/** The quality results table: append-only history, newest result per check on request. */
@Repository
public class QualityResults {

    private static final Table<?> RESULTS = table(name("quality_results"));
    private static final List<String> COLUMNS = List.of("run_id", "table_name", "check_name", "kind", "column_name",
            "spec_version", "severity", "status", "observed", "observed_value", "expected", "message", "checked_at",
            "duration_ms");
    private static final String SELECT = "SELECT run_id, table_name, check_name, kind, column_name, spec_version,"
            + " severity, status, observed, observed_value, expected, message, toUnixTimestamp64Milli(checked_at),"
            + " duration_ms FROM quality_results";

    /** A page of history, newest first, and how many results match in all. */
    public record Page(List<QualityResultRow> items, long total) {
    }

    private final DSLContext dsl;

    QualityResults(DSLContext warehouseDsl) {
        this.dsl = warehouseDsl;
    }

    public void save(List<QualityResultRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        InsertValuesStepN<?> insert = dsl.insertInto(RESULTS, COLUMNS.stream().map(c -> field(name(c))).toList());
        for (QualityResultRow r : rows) {
            insert = insert.values(List.<Field<?>>of(val(r.runId()), val(r.table()), val(r.check()), val(r.kind()),
                    val(r.column() == null ? "" : r.column()), val(r.specVersion()), val(r.severity()), val(r.status()),
                    val(r.observed() == null ? "" : r.observed()),
                    field("toNullable(toFloat64({0}))", Double.class, val(r.observedValue(), Double.class)),
                    val(r.expected() == null ? "" : r.expected()), val(r.message() == null ? "" : r.message()),
                    field("fromUnixTimestamp64Milli({0}, 'UTC')", Object.class, val(r.checkedAt().toEpochMilli())),
                    val(r.durationMillis())));
        }
        insert.execute();
    }

    /** The newest result of every check that has one, ordered by table and check. */
    public List<QualityResultRow> latest() {
        return dsl.resultQuery(SELECT + " ORDER BY table_name, check_name, checked_at DESC"
                + " LIMIT 1 BY table_name, check_name").fetch(QualityResults::map);
    }

    /** Results newest first, optionally of one table and/or one check (null = any). */
    public Page history(String table, String check, int limit, int offset) {
        Condition where = noCondition();
        if (table != null) {
            where = where.and(field(name("table_name"), String.class).eq(val(table)));
        }
        if (check != null) {
            where = where.and(field(name("check_name"), String.class).eq(val(check)));
        }
        List<QualityResultRow> items = dsl.resultQuery(SELECT + " WHERE {0} ORDER BY checked_at DESC, table_name,"
                + " check_name LIMIT {1} OFFSET {2}", where, inline(limit), inline(offset)).fetch(QualityResults::map);
        long total = dsl.resultQuery("SELECT count() FROM quality_results WHERE {0}", where).fetchOne(0, Long.class);
        return new Page(items, total);
    }

    private static QualityResultRow map(Record r) {
        return new QualityResultRow(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class),
                r.get(3, String.class), r.get(4, String.class), r.get(5, Integer.class), r.get(6, String.class),
                r.get(7, String.class), r.get(8, String.class), r.get(9, Double.class), r.get(10, String.class),
                r.get(11, String.class), Instant.ofEpochMilli(r.get(12, Long.class)), r.get(13, Long.class));
    }
}
