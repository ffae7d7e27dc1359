package io.refinery.warehouse.api;

import java.util.List;

/**
 * A filter on the rows of a served table, as parsed from user input (OData {@code $filter}, query
 * parameters). Values are typed Java values (String, LocalDate, BigDecimal, Long, Double or null);
 * they are always bound as parameters, never rendered into SQL text.
 */
public sealed interface RowFilter {

    RowFilter NONE = new All(List.of());

    enum Operator { EQ, NE, GT, GE, LT, LE }

    record Compare(String column, Operator operator, Object value) implements RowFilter {
    }

    /** Every part holds (AND); no parts: matches all rows. */
    record All(List<RowFilter> parts) implements RowFilter {
        public All {
            parts = List.copyOf(parts);
        }
    }

    /** Some part holds (OR). */
    record Any(List<RowFilter> parts) implements RowFilter {
        public Any {
            parts = List.copyOf(parts);
        }
    }
}
