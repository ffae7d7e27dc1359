package io.refinery.ingestion.contract;

/** The types a contract field can declare. */
public enum FieldType {
    STRING, DECIMAL, DOUBLE, INTEGER, DATE, DATETIME, ENUM, BOOLEAN
}
