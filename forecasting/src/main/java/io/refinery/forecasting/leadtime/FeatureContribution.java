package io.refinery.forecasting.leadtime;

/**
 * How much one feature drove a score: {@code share} of the isolation (0..1, all features sum to 1)
 * that splits on this feature achieved, and the feature's value for the scored receipt.
 */
public record FeatureContribution(String feature, double value, double share) {
}
