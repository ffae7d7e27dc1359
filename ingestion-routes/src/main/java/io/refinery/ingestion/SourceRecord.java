package io.refinery.ingestion;

import java.util.Map;

/**
 * One record as the source delivered it: its position in the source (line, offset, cursor) and its
 * fields by source column name (mapped to canonical names by the record path).
 */
public record SourceRecord(String offset, Map<String, String> fields) {
}
