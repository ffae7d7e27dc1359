package io.refinery.ops.quality;

import java.util.List;
import java.util.Set;

/**
 * The versioned checks of one table ({@code quality/<table>.v<version>.yaml}).
 *
 * @param deduplicated read with FINAL (ReplacingMergeTree tables: what readers see after dedup)
 * @param eventTime    the column that says when a row happened (freshness, day-over-day volume, drift windows)
 * @param gates        the downstream jobs a failing blocking check of this table halts (e.g. forecast)
 */
public record TableSpec(String table, int version, String description, boolean deduplicated, String eventTime,
                        Set<String> gates, List<CheckSpec> checks, String source) {

    public TableSpec {
        gates = Set.copyOf(gates);
        checks = List.copyOf(checks);
    }
}
