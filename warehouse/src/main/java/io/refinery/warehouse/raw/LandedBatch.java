package io.refinery.warehouse.raw;

import java.util.UUID;

/** A batch durably in the raw layer; {@code alreadyLanded} when it had been landed before. */
public record LandedBatch(UUID batchId, int records, String batchHash, boolean alreadyLanded) {
}
