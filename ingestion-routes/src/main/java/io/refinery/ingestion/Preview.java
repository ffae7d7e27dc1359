package io.refinery.ingestion;

import java.util.List;
import java.util.Map;

/**
 * What the contract would do with sample records, without writing anything (a route dry run).
 *
 * @param records     records examined
 * @param valid       records that would be cleaned (before dedup)
 * @param quarantined records that would be quarantined
 * @param duplicates  records superseded within the sample
 * @param drift       drift of the sample's columns against the contract
 * @param problems    the refusals, one line per quarantined record ("#n rule field: reason")
 * @param typed       the first valid records as the cleaned layer would get them
 */
public record Preview(String contract, int records, int valid, int quarantined, int duplicates,
                      List<DriftFinding> drift, List<String> problems, List<Map<String, String>> typed) {
}
