package io.refinery.warehouse.api;

/** A column of a served table that readers may select, filter and sort on. */
public record ServedColumn(String name, ColumnType type) {
}
