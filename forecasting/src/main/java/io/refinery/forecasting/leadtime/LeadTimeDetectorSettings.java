package io.refinery.forecasting.leadtime;

/**
 * Tuning of a {@link LeadTimeAnomalyDetector}: the forest (trees, sub-sample size, expected share of
 * anomalies, seed) and how many recent receipts per lane and supplier form the lead-time history.
 */
public record LeadTimeDetectorSettings(int numTrees, int subsampleSize, double contamination, long seed,
        int historyWindow) {

    public LeadTimeDetectorSettings {
        if (historyWindow < 5) {
            throw new IllegalArgumentException("historyWindow must be at least 5, found " + historyWindow);
        }
    }

    public static LeadTimeDetectorSettings defaults() {
        return new LeadTimeDetectorSettings(100, 256, 0.03, 42L, 40);
    }

    public LeadTimeDetectorSettings withSeed(long newSeed) {
        return new LeadTimeDetectorSettings(numTrees, subsampleSize, contamination, newSeed, historyWindow);
    }
}
