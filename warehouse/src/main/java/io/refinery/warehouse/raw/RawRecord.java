package io.refinery.warehouse.raw;

/**
 * One payload exactly as received, with its position in the source (line, offset or cursor).
 * {@code format} is {@link #RECORD} for one source record, {@link #CSV_BLOCK} for a block of a file's
 * rows (its header line, then the rows as received), or {@link #RECORD_BLOCK} for a micro-batch of messages
 * (a line per message: its offset and its fields); a block holds {@code span} records.
 */
public record RawRecord(String sourceOffset, String payload, String format, int span) {

    public static final String RECORD = "record";
    public static final String CSV_BLOCK = "csv-block";
    public static final String RECORD_BLOCK = "record-block";

    public RawRecord(String sourceOffset, String payload) {
        this(sourceOffset, payload, RECORD, 1);
    }

    public boolean block() {
        return !RECORD.equals(format);
    }
}
