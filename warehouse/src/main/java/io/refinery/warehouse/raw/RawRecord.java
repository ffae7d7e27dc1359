package io.refinery.warehouse.raw;

/** One payload exactly as received, with its position in the source (line, offset or cursor). */
public record RawRecord(String sourceOffset, String payload) {
}
