package io.refinery.ingestion;

import java.time.Instant;
import java.util.UUID;

/**
 * Published (Spring application event) once per raw batch the record path processed, after its
 * outcome is stored, or when processing it failed ({@code failure} set, counts as far as known).
 * Lineage emitters and monitors listen to it; the record path never waits for them.
 *
 * @param contract the data contract id and version that decided, empty on failure before deciding
 */
public record BatchIngested(UUID batchId, String routeId, Entity entity, String source, String sourceRef,
                            String contract, Instant receivedAt, Instant processedAt, long received, long landed,
                            long cleaned, long quarantined, long duplicates, String failure) {

    public boolean failed() {
        return failure != null;
    }
}
