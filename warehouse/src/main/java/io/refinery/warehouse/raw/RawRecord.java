package io.refinery.warehouse.raw;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One payload exactly as received, with its position in the source (line, offset or cursor).
 * {@code format} is {@link #RECORD} for one source record, {@link #CSV_BLOCK} for a block of a file's
 * rows (its header line, then the rows as received), or {@link #RECORD_BLOCK} for a micro-batch of messages
 * (a line per message: its offset and its fields); a block holds {@code span} records.
 *
 * <p>The payload is kept in the form it arrived in, text or UTF-8 bytes, and the other form is made once when
 * asked for: a file's block is tens of megabytes of bytes that are hashed and landed as bytes, and turning
 * them into a String and back cost the lane about a core-second per five million lines.
 */
public final class RawRecord {

    public static final String RECORD = "record";
    public static final String CSV_BLOCK = "csv-block";
    public static final String RECORD_BLOCK = "record-block";

    private final String sourceOffset;
    private final String format;
    private final int span;
    private volatile String text;
    private volatile byte[] utf8;
    private final int utf8Length;

    public RawRecord(String sourceOffset, String payload, String format, int span) {
        this.sourceOffset = Objects.requireNonNull(sourceOffset);
        this.text = Objects.requireNonNull(payload);
        this.format = Objects.requireNonNull(format);
        this.span = span;
        this.utf8Length = -1;
    }

    public RawRecord(String sourceOffset, String payload) {
        this(sourceOffset, payload, RECORD, 1);
    }

    private RawRecord(String sourceOffset, byte[] utf8, int length, String format, int span) {
        this.sourceOffset = Objects.requireNonNull(sourceOffset);
        this.utf8 = utf8;
        this.utf8Length = length;
        this.format = Objects.requireNonNull(format);
        this.span = span;
    }

    /**
     * A record whose payload is the first {@code length} bytes of {@code utf8}, taken over without a copy: the
     * caller must not change them afterwards.
     */
    public static RawRecord ofUtf8(String sourceOffset, byte[] utf8, int length, String format, int span) {
        Objects.checkFromIndexSize(0, length, utf8.length);
        return new RawRecord(sourceOffset, utf8, length, format, span);
    }

    public String sourceOffset() {
        return sourceOffset;
    }

    /** The payload as text (decoded once when the record holds bytes). */
    public String payload() {
        String t = text;
        if (t == null) {
            t = new String(utf8, 0, utf8Length, StandardCharsets.UTF_8);
            text = t;
        }
        return t;
    }

    /** The array holding the payload's UTF-8 bytes, from index 0 to {@link #utf8Length()}; not to be changed. */
    public byte[] utf8Array() {
        byte[] b = utf8;
        if (b == null) {
            b = text.getBytes(StandardCharsets.UTF_8);
            utf8 = b;
        }
        return b;
    }

    /** The length in bytes of the payload's UTF-8 form. */
    public int utf8Length() {
        return utf8Length >= 0 ? utf8Length : utf8Array().length;
    }

    public String format() {
        return format;
    }

    public int span() {
        return span;
    }

    public boolean block() {
        return !RECORD.equals(format);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawRecord r && span == r.span && sourceOffset.equals(r.sourceOffset)
                && format.equals(r.format) && Arrays.equals(utf8Array(), 0, utf8Length(), r.utf8Array(), 0, r.utf8Length());
    }

    @Override
    public int hashCode() {
        // over the bytes, as equals compares: a block held as bytes is not decoded to be hashed
        return Objects.hash(sourceOffset, format, span,
                java.nio.ByteBuffer.wrap(utf8Array(), 0, utf8Length()).hashCode());
    }

    @Override
    public String toString() {
        String p = payload();
        return "RawRecord[sourceOffset=" + sourceOffset + ", format=" + format + ", span=" + span + ", payload="
                + (p.length() > 200 ? p.substring(0, 200) + "… (" + p.length() + " characters)" : p) + "]";
    }
}
