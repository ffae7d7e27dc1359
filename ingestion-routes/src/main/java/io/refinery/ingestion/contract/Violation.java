package io.refinery.ingestion.contract;

/** Why a record was refused: the rule that failed, on which field, with which value. */
public record Violation(String rule, String field, String value, String reason) {

    public static final String REQUIRED = "required";
    public static final String TYPE = "type";
    public static final String RANGE = "range";
    public static final String ALLOWED = "allowed";
    public static final String MAX_LENGTH = "max-length";
    public static final String ENCODING = "encoding";
    public static final String MALFORMED = "malformed";
    public static final String SCHEMA_DRIFT = "schema-drift";
    public static final String DUPLICATE = "duplicate-key";
}
