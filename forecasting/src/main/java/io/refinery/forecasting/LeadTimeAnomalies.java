package io.refinery.forecasting;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Flagged supplier lead times: read, filter, page and acknowledge. Blocking (JDBC). */
public interface LeadTimeAnomalies {

    /** Filters; null means "any". Newest flags first. */
    record Query(String supplier, String sku, String location, Instant from, Instant to, Boolean acknowledged,
                 int offset, int limit) {
    }

    List<LeadTimeAnomaly> find(Query query);

    long count(Query query);

    Optional<LeadTimeAnomaly> find(String poLineId);

    /** Marks a flag as seen by {@code user}; false when there is no such flag. */
    boolean acknowledge(String poLineId, String user);
}
