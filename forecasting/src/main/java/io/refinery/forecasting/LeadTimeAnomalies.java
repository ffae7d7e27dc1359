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

    /**
     * Scores the lead times received since the last call (training first when there is no model yet);
     * returns how many were flagged. Called by this module's own poll, or by an orchestrator that keeps
     * it to one replica at a time ({@code refinery.forecasting.own-triggers=false}).
     */
    int scoreNewReceipts();

    /** Retrains the model on everything scored so far. */
    void retrain();
}
