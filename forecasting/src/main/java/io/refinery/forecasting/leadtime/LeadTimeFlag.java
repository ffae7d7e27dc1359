package io.refinery.forecasting.leadtime;

import java.time.Instant;
import java.util.List;

/**
 * The verdict on one receipt: its isolation score (0..1, higher is stranger), whether it crosses
 * the model's threshold, what the lane normally does, and the features that drove the score
 * (largest share first).
 */
public record LeadTimeFlag(String receiptId, String poLineId, String supplier, String location, Instant receivedAt,
        double leadTimeDays, double delayDays, double score, boolean anomalous, LeadTimeRange expectedLeadTime,
        List<FeatureContribution> drivers, String modelVersion) {

    public LeadTimeFlag {
        drivers = List.copyOf(drivers);
    }
}
