package io.refinery.warehouse.raw;

/**
 * One payload exactly as received, with its position in the source (line, offset or cursor).
 * {@code format} is {@link #RECORD} for one source record, or {@link #CSV_BLOCK} for a block of a file's
 * rows (its header line, then the rows as received), which holds {@code span} records.
 */
public record RawRecord(String sourceOffset, String payload, String format, int span) {

    public static final String RECORD = "record";
    public static final String CSV_BLOCK = "csv-block";

    public RawRecord(String sourceOffset, String payload) {
        this(sourceOffset, payload, RECORD, 1);
    }

    public boolean block() {
        return !RECORD.equals(format);
    }
}
