package io.refinery.ops.quality;

import java.time.Duration;
import java.util.List;

/**
 * One declared check of a table, as read from its YAML spec. Only the fields its kind uses are set.
 *
 * @param columns     not_null: the columns; unique: the key; accepted_values, range, drift: one column
 * @param maxDrop     row_count_change: the largest allowed drop vs the day before, as a fraction (0.2 = 20 %)
 * @param maxAge      freshness: how old the newest event may be
 * @param maxPsi      drift: the largest allowed population stability index
 */
public record CheckSpec(String name, CheckKind kind, Severity severity, String description, List<String> columns,
                        List<String> accepted, Double min, Double max, Long minRows, Double maxDrop, Duration maxAge,
                        int currentDays, int referenceDays, int buckets, Double maxPsi) {

    public CheckSpec {
        columns = columns == null ? List.of() : List.copyOf(columns);
        accepted = accepted == null ? List.of() : List.copyOf(accepted);
    }

    public String column() {
        return String.join(",", columns);
    }
}
