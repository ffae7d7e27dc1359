package io.refinery.ops.demo;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The events of one live step: every record whose own timestamp falls in {@code [from, to)}, per
 * entity (each transactional entity present, possibly with no records), and which of the PO lines
 * they mention are injected late-delivery anomalies.
 */
public record LiveSlice(Instant from, Instant to, Map<DemoEntity, List<Map<String, String>>> records,
        Set<String> anomalousPoLineIds) {

    public LiveSlice {
        records = Map.copyOf(records);
        anomalousPoLineIds = Set.copyOf(anomalousPoLineIds);
    }

    public List<Map<String, String>> records(DemoEntity entity) {
        return records.getOrDefault(entity, List.of());
    }

    public int size() {
        return records.values().stream().mapToInt(List::size).sum();
    }
}
