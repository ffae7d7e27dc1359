package io.refinery.api.odata;

import io.refinery.warehouse.api.RowFilter;

import java.math.BigDecimal;
import java.util.function.Predicate;

/** Evaluates a parsed filter on in-memory rows (facade-backed sets), with the warehouse's semantics. */
final class RowMatcher {

    private RowMatcher() {
    }

    static Predicate<Object[]> of(RowFilter filter, EntitySet set) {
        return switch (filter) {
            case RowFilter.All all -> all.parts().stream().map(p -> of(p, set)).reduce(r -> true, Predicate::and);
            case RowFilter.Any any -> any.parts().isEmpty() ? r -> true
                    : any.parts().stream().map(p -> of(p, set)).reduce(r -> false, Predicate::or);
            case RowFilter.Compare c -> {
                int index = set.index(c.column());
                yield row -> compare(row[index], c.operator(), c.value());
            }
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean compare(Object actual, RowFilter.Operator operator, Object expected) {
        if (expected == null || actual == null) {
            boolean same = expected == actual;
            return switch (operator) {
                case EQ -> same;
                case NE -> !same;
                default -> false;
            };
        }
        int order;
        if (actual instanceof Number a && expected instanceof Number e) {
            order = new BigDecimal(a.toString()).compareTo(new BigDecimal(e.toString()));
        } else {
            order = ((Comparable) actual).compareTo(expected);
        }
        return switch (operator) {
            case EQ -> order == 0;
            case NE -> order != 0;
            case GT -> order > 0;
            case GE -> order >= 0;
            case LT -> order < 0;
            case LE -> order <= 0;
        };
    }
}
