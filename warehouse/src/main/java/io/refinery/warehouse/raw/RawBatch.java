package io.refinery.warehouse.raw;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A batch to land in the raw layer. {@code batchId} should be derived from the source (file
 * checksum, cursor range, message ids) so that a re-delivered batch is recognised and not landed twice.
 */
public record RawBatch(UUID batchId, String source, String routeId, String entity, String sourceRef,
                       Instant receivedAt, List<RawRecord> records) {
}
