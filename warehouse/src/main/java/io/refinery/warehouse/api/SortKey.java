package io.refinery.warehouse.api;

/** One ORDER BY term on a served column. */
public record SortKey(String column, boolean descending) {
}
