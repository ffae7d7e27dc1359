package io.refinery.forecasting.leadtime;

import java.time.Instant;

/**
 * Identifies a trained detector. {@code id} is a content hash of the trainer configuration (seed
 * included) and the training data, so retraining the same data the same way yields the same id;
 * {@code provenance} is Tribuo's full model provenance (trainer, data source, versions, time).
 */
public record ModelVersion(String id, Instant trainedAt, int trainingReceipts, Instant dataFrom, Instant dataTo,
        String trainer, String provenance) {
}
