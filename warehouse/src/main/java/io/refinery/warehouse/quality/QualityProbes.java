package io.refinery.warehouse.quality;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.QueryPart;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.jooq.impl.DSL.condition;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.quotedName;
import static org.jooq.impl.DSL.table;
import static org.jooq.impl.DSL.val;

/**
 * Measures what a quality check needs to know about a table: null counts, duplicate keys, values
 * outside a set or a range, row counts in a time window, the newest event time, and histograms for
 * drift. It only observes; deciding pass or fail is the caller's business. Table and column names
 * come from check specs: they are validated and rendered quoted, every value is a bind variable.
 */
@Repository
public class QualityProbes {

    private static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,63}$");

    /** Which rows a probe looks at: the table (deduplicated with FINAL for ReplacingMergeTree tables). */
    public record Target(String table, boolean deduplicated) {
        public Target {
            identifier(table);
        }
    }

    /** Rows whose {@code column} lies in [from, to). */
    public record Window(String column, Instant from, Instant to) {
        public Window {
            identifier(column);
        }
    }

    public record NullCounts(long rows, Map<String, Long> nullsByColumn) {
    }

    /** {@code keys}: distinct key values that occur more than once; {@code example}: one of them. */
    public record Duplicates(long keys, long excessRows, String example) {
    }

    public record Outside(long rows, long outside, String example) {
    }

    public record RangeObservation(long rows, long outside, Double min, Double max) {
    }

    /** Bucket counts of a numeric column in two windows, buckets cut at the reference window's quantiles. */
    public record Histogram(List<Double> edges, long[] reference, long[] current) {
    }

    private final DSLContext dsl;

    QualityProbes(DSLContext warehouseDsl) {
        this.dsl = warehouseDsl;
    }

    public long rowCount(Target target, Window window) {
        return dsl.resultQuery("SELECT count() FROM {0} WHERE {1}", from(target), within(window))
                .fetchOne(0, Long.class);
    }

    /** Nulls, and empty strings (ClickHouse's String columns are not nullable: a missing value arrives as ''). */
    public NullCounts nullCounts(Target target, List<String> columns) {
        List<QueryPart> parts = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT count()");
        for (String column : columns) {
            parts.add(column(column));
            sql.append(", countIf(isNull({").append(parts.size() - 1).append("}) OR ifNull(toString({")
                    .append(parts.size() - 1).append("}), '') = '')");
        }
        parts.add(from(target));
        sql.append(" FROM {").append(parts.size() - 1).append("}");
        Record r = dsl.fetchOne(dsl.resultQuery(sql.toString(), parts.toArray(QueryPart[]::new)));
        Map<String, Long> nulls = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            nulls.put(columns.get(i), r.get(i + 1, Long.class));
        }
        return new NullCounts(r.get(0, Long.class), nulls);
    }

    public Duplicates duplicateKeys(Target target, List<String> keyColumns) {
        QueryPart keys = keyList(keyColumns);
        Record r = dsl.fetchOne(dsl.resultQuery(
                "SELECT count(), toUInt64(sum(n - 1)), any(k) FROM (SELECT {0} AS k, count() AS n FROM {1}"
                        + " GROUP BY {2} HAVING n > 1)",
                field("toString(tuple({0}))", String.class, keys), from(target), keys));
        long duplicated = r.get(0, Long.class);
        return new Duplicates(duplicated, r.get(1, Long.class), duplicated == 0 ? null : r.get(2, String.class));
    }

    public Outside outsideAccepted(Target target, String column, List<String> accepted) {
        Field<String> value = field("toString({0})", String.class, column(column));
        Condition outside = value.notIn(accepted.stream().map(v -> val(v)).toList());
        Record r = dsl.fetchOne(dsl.resultQuery("SELECT count(), countIf({0}), anyIf({1}, {0}) FROM {2}",
                outside, value, from(target)));
        long count = r.get(1, Long.class);
        return new Outside(r.get(0, Long.class), count, count == 0 ? null : r.get(2, String.class));
    }

    /** Values below {@code min} or above {@code max} (either may be null: unbounded); nulls are not counted. */
    public RangeObservation outsideRange(Target target, String column, Double min, Double max) {
        Field<Double> value = field("toFloat64({0})", Double.class, column(column));
        Condition outside = noCondition();
        if (min != null) {
            outside = outside.or(value.lt(val(min)));
        }
        if (max != null) {
            outside = outside.or(value.gt(val(max)));
        }
        if (min == null && max == null) {
            outside = condition("false");
        }
        Record r = dsl.fetchOne(dsl.resultQuery(
                "SELECT count(), countIf(ifNull({0}, false)), toNullable(min({1})), toNullable(max({1})) FROM {2}",
                outside, value, from(target)));
        long rows = r.get(0, Long.class);
        return new RangeObservation(rows, r.get(1, Long.class), rows == 0 ? null : r.get(2, Double.class),
                rows == 0 ? null : r.get(3, Double.class));
    }

    /** The newest value of a time column (Date or DateTime64), or empty when the table has no rows. */
    public Optional<Instant> maxTime(Target target, String timeColumn) {
        Record r = dsl.fetchOne(dsl.resultQuery(
                "SELECT count(), toUnixTimestamp64Milli(toDateTime64(max({0}), 3, 'UTC')) FROM {1}",
                column(timeColumn), from(target)));
        return r.get(0, Long.class) == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(r.get(1, Long.class)));
    }

    /**
     * A histogram of {@code column} in the reference and the current window, cut at the reference's
     * deciles (so each reference bucket holds about a tenth of its rows and a shift shows as mass
     * moving between buckets). Edges are deduplicated: a column with few distinct values gets fewer buckets.
     */
    public Histogram histogram(Target target, String column, Window reference, Window current, int buckets) {
        Field<Double> value = field("toFloat64({0})", Double.class, column(column));
        List<String> levels = new ArrayList<>();
        for (int i = 1; i < buckets; i++) {
            levels.add(Double.toString((double) i / buckets));
        }
        // Quantile levels are parameters of the aggregate function, which ClickHouse wants as literals;
        // they are computed here from an int, never taken from input.
        List<Double> edges = dsl.resultQuery("SELECT arraySort(arrayDistinct(quantilesExact(" + String.join(", ", levels)
                        + ")({0}))) FROM {1} WHERE {2} AND isNotNull({0})", value, from(target), within(reference))
                .fetchOne(r -> toDoubles(r.get(0)));
        Field<Integer> bucket = field("toInt32(arrayCount(e -> e < {0}, {1}))", Integer.class, value,
                field("CAST({0}, 'Array(Float64)')", Object.class, val(edgesLiteral(edges))));
        long[] ref = new long[edges.size() + 1];
        long[] cur = new long[edges.size() + 1];
        dsl.resultQuery("SELECT {0} AS b, countIf({1}), countIf({2}) FROM {3} WHERE ({1} OR {2}) AND isNotNull({4})"
                        + " GROUP BY b ORDER BY b", bucket, within(reference), within(current), from(target), value)
                .forEach(r -> {
                    int b = r.get(0, Integer.class);
                    ref[b] = r.get(1, Long.class);
                    cur[b] = r.get(2, Long.class);
                });
        return new Histogram(edges, ref, cur);
    }

    private static String edgesLiteral(List<Double> edges) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < edges.size(); i++) {
            text.append(i == 0 ? "" : ",").append(edges.get(i));
        }
        return text.append(']').toString();
    }

    private static List<Double> toDoubles(Object array) {
        List<Double> values = new ArrayList<>();
        if (array instanceof Object[] objects) {
            for (Object o : objects) {
                values.add(((Number) o).doubleValue());
            }
        } else if (array instanceof double[] doubles) {
            for (double d : doubles) {
                values.add(d);
            }
        } else if (array instanceof java.sql.Array sqlArray) {
            try {
                return toDoubles(sqlArray.getArray());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        } else if (array instanceof List<?> list) {
            for (Object o : list) {
                values.add(((Number) o).doubleValue());
            }
        } else if (array != null) {
            throw new IllegalStateException("unexpected array value " + array.getClass());
        }
        return values;
    }

    private static Table<?> from(Target target) {
        return target.deduplicated() ? table("{0} FINAL", quotedName(target.table())) : table(quotedName(target.table()));
    }

    private static Condition within(Window window) {
        if (window == null) {
            return noCondition();
        }
        return condition("toDateTime64({0}, 3, 'UTC') >= fromUnixTimestamp64Milli({1}, 'UTC')"
                        + " AND toDateTime64({0}, 3, 'UTC') < fromUnixTimestamp64Milli({2}, 'UTC')",
                column(window.column()), val(window.from().toEpochMilli()), val(window.to().toEpochMilli()));
    }

    private static Field<Object> column(String name) {
        return field(quotedName(identifier(name)));
    }

    private static QueryPart keyList(List<String> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a key needs at least one column");
        }
        return org.jooq.impl.DSL.list(columns.stream().map(QualityProbes::column).toList());
    }

    static String identifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a table or column name: '" + name + "'");
        }
        return name;
    }

    /** Columns of a table in the current database (empty when the table does not exist). */
    public List<String> columns(String table) {
        return dsl.resultQuery("SELECT name FROM system.columns WHERE database = currentDatabase() AND table = {0}"
                + " ORDER BY position", val(identifier(table))).fetch(r -> r.get(0, String.class));
    }
}
