package io.refinery.warehouse.api;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.OrderField;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.quotedName;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.table;

/**
 * Reads pages of the served tables with filters, projections and orders that come from users. The
 * filter becomes jOOQ conditions with bound values; column names are checked against the table.
 */
@Repository
public class ServedReads {

    private final DSLContext dsl;

    ServedReads(DSLContext warehouseDsl) {
        this.dsl = warehouseDsl;
    }

    /** Rows in the order of {@code columns}, converted to the Java types of {@link ColumnType}. */
    public List<Object[]> page(ServedTable table, List<String> columns, RowFilter filter, List<SortKey> order,
                               long offset, int limit) {
        List<Object[]> rows = new ArrayList<>(Math.min(limit, 10_000));
        stream(table, columns, filter, order, offset, limit, rows::add);
        return rows;
    }

    /** As {@link #page}, handing rows one by one to {@code sink} (no list of the whole page). */
    public void stream(ServedTable table, List<String> columns, RowFilter filter, List<SortKey> order, long offset,
                       int limit, Consumer<Object[]> sink) {
        stream(table(table.source()), lookup(table), columns, filter, order, offset, limit, sink);
    }

    public long count(ServedTable table, RowFilter filter) {
        return count(table(table.source()), lookup(table), filter);
    }

    /**
     * The one read path of every row source the API exposes: {@code from} is a constant of this
     * module (a table or a derived table with bound values), {@code columns} resolves the names users
     * give (unknown names fail); filter values are bound parameters, never SQL text.
     */
    void stream(Table<?> from, Function<String, ServedColumn> columns, List<String> select, RowFilter filter,
                List<SortKey> order, long offset, int limit, Consumer<Object[]> sink) {
        List<ServedColumn> selected = select.stream().map(columns).toList();
        List<Field<?>> fields = selected.stream().map(ServedReads::readField).toList();
        List<OrderField<?>> orderBy = new ArrayList<>();
        for (SortKey key : order) {
            Field<Object> f = field(quotedName(columns.apply(key.column()).name()));
            orderBy.add(key.descending() ? f.desc() : f.asc());
        }
        try (var cursor = dsl.select(fields).from(from).where(condition(columns, filter))
                .orderBy(orderBy).limit(limit).offset(offset).fetchLazy()) {
            for (Record r : cursor) {
                Object[] row = new Object[selected.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = convert(selected.get(i).type(), r.get(i));
                }
                sink.accept(row);
            }
        }
    }

    long count(Table<?> from, Function<String, ServedColumn> columns, RowFilter filter) {
        return dsl.fetchCount(dsl.selectOne().from(from).where(condition(columns, filter)));
    }

    private static Function<String, ServedColumn> lookup(ServedTable table) {
        return name -> table.column(name).orElseThrow(() -> new IllegalArgumentException("no column '" + name
                + "' in " + table.name().toLowerCase()));
    }

    static Condition condition(Function<String, ServedColumn> columns, RowFilter filter) {
        return switch (filter) {
            case RowFilter.All all -> all.parts().stream().map(p -> condition(columns, p))
                    .reduce(noCondition(), Condition::and);
            case RowFilter.Any any -> any.parts().isEmpty() ? noCondition()
                    : any.parts().stream().map(p -> condition(columns, p)).reduce(Condition::or).orElseThrow();
            case RowFilter.Compare c -> compare(columns.apply(c.column()), c.operator(), c.value());
        };
    }

    private static Condition compare(ServedColumn column, RowFilter.Operator operator, Object value) {
        Field<Object> f = field(quotedName(column.name()));
        if (value == null) {
            return switch (operator) {
                case EQ -> f.isNull();
                case NE -> f.isNotNull();
                default -> throw new IllegalArgumentException("only eq and ne compare with null");
            };
        }
        Field<Object> v = bound(column, value);
        return switch (operator) {
            case EQ -> f.eq(v);
            case NE -> f.ne(v);
            case GT -> f.gt(v);
            case GE -> f.ge(v);
            case LT -> f.lt(v);
            case LE -> f.le(v);
        };
    }

    /** A bound parameter of the column's type; dates travel as ISO text and are cast by ClickHouse. */
    private static Field<Object> bound(ServedColumn column, Object value) {
        return switch (column.type()) {
            case STRING -> field("{0}", Object.class, requireType(column, value, String.class));
            case DATE -> field("toDate({0})", Object.class, requireType(column, value, LocalDate.class).toString());
            case DECIMAL, DOUBLE -> field("{0}", Object.class, requireType(column, value, Number.class));
            case INTEGER -> field("{0}", Object.class, requireType(column, value, Number.class).longValue());
            case TIMESTAMP -> field("fromUnixTimestamp64Milli({0}, 'UTC')", Object.class,
                    requireType(column, value, java.time.Instant.class).toEpochMilli());
            case BOOLEAN -> field("{0}", Object.class, requireType(column, value, Boolean.class));
        };
    }

    private static <T> T requireType(ServedColumn column, Object value, Class<T> type) {
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(column.name() + " compares with " + column.type().name().toLowerCase()
                    + " values, not " + value);
        }
        return type.cast(value);
    }

    private static Field<?> readField(ServedColumn column) {
        return switch (column.type()) {
            case DATE -> field("toString({0})", String.class, field(quotedName(column.name())));
            case STRING -> field(quotedName(column.name()), String.class);
            case DECIMAL -> field(quotedName(column.name()), BigDecimal.class);
            case INTEGER -> field(quotedName(column.name()), Long.class);
            case DOUBLE -> field(quotedName(column.name()), Double.class);
            case TIMESTAMP -> field("toUnixTimestamp64Milli({0})", Long.class, field(quotedName(column.name())));
            case BOOLEAN -> field(quotedName(column.name()), Boolean.class);
        };
    }

    private static Object convert(ColumnType type, Object value) {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case DATE -> LocalDate.parse(value.toString());
            case STRING -> value.toString();
            case DECIMAL -> value instanceof BigDecimal d ? d.stripTrailingZeros() : new BigDecimal(value.toString());
            case INTEGER -> ((Number) value).longValue();
            case DOUBLE -> ((Number) value).doubleValue();
            case TIMESTAMP -> java.time.Instant.ofEpochMilli(((Number) value).longValue());
            case BOOLEAN -> value instanceof Boolean b ? b : Boolean.parseBoolean(value.toString());
        };
    }
}
