package io.refinery.warehouse.api;

/** The types a served column can have, as readers see them (Java type in brackets). */
public enum ColumnType {
    /** {@link String} */
    STRING,
    /** {@link java.time.LocalDate} */
    DATE,
    /** {@link java.math.BigDecimal} */
    DECIMAL,
    /** {@link Long} */
    INTEGER,
    /** {@link Double} */
    DOUBLE,
    /** {@link java.time.Instant} */
    TIMESTAMP,
    /** {@link Boolean} */
    BOOLEAN
}
