package io.refinery.warehouse.api;

import java.util.List;
import java.util.Optional;

import static io.refinery.warehouse.api.ColumnType.DATE;
import static io.refinery.warehouse.api.ColumnType.DECIMAL;
import static io.refinery.warehouse.api.ColumnType.INTEGER;
import static io.refinery.warehouse.api.ColumnType.STRING;

/**
 * The served tables the API may read row by row, with the columns it may see. Only these sources
 * and columns can ever appear in a query built from user input (the names are never user text).
 */
public enum ServedTable {
    DEMAND_DAILY("demand_daily FINAL", List.of(col("sku", STRING), col("location", STRING), col("day", DATE),
            col("quantity", DECIMAL), col("order_lines", INTEGER), col("revenue", DECIMAL)), List.of("sku", "location", "day")),
    DEMAND_WEEKLY("demand_weekly", List.of(col("sku", STRING), col("location", STRING), col("week", DATE),
            col("quantity", DECIMAL), col("order_lines", INTEGER), col("revenue", DECIMAL)), List.of("sku", "location", "week")),
    DEMAND_MONTHLY("demand_monthly", List.of(col("sku", STRING), col("location", STRING), col("month", DATE),
            col("quantity", DECIMAL), col("order_lines", INTEGER), col("revenue", DECIMAL)), List.of("sku", "location", "month")),
    PRODUCTS("products FINAL", List.of(col("sku", STRING), col("name", STRING), col("category", STRING),
            col("unit", STRING)), List.of("sku")),
    LOCATIONS("locations FINAL", List.of(col("location", STRING), col("name", STRING), col("region", STRING)),
            List.of("location"));

    private final String source;
    private final List<ServedColumn> columns;
    private final List<String> key;

    ServedTable(String source, List<ServedColumn> columns, List<String> key) {
        this.source = source;
        this.columns = columns;
        this.key = key;
    }

    /** The FROM expression: a constant of this enum, never built from input. */
    String source() {
        return source;
    }

    public List<ServedColumn> columns() {
        return columns;
    }

    /** The columns that identify a row; also the default (stable) order for paging. */
    public List<String> key() {
        return key;
    }

    public Optional<ServedColumn> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private static ServedColumn col(String name, ColumnType type) {
        return new ServedColumn(name, type);
    }
}
