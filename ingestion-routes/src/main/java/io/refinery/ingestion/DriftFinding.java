package io.refinery.ingestion;

/**
 * One difference between a batch's columns and the contract.
 *
 * @param change {@code new-column}, {@code missing-column}, {@code renamed-column} or {@code type-change}
 * @param column the column (for a rename: the source column; detail names the field)
 * @param detail what was seen
 */
public record DriftFinding(String change, String column, String detail) {

    public static final String NEW_COLUMN = "new-column";
    public static final String MISSING_COLUMN = "missing-column";
    public static final String RENAMED_COLUMN = "renamed-column";
    public static final String TYPE_CHANGE = "type-change";
}
