package io.refinery.ingestion;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Requests and results of the maintenance operations of {@link Ingestion}. */
public final class Requests {

    private Requests() {
    }

    /** A raw record: batch and position. */
    public record RecordRef(UUID batchId, int recordNo) {
    }

    /**
     * Re-runs open quarantined records from raw through the active contract, with optional corrected
     * values (applied over the raw fields; raw itself is never changed). Null filters match all.
     */
    public record ReprocessRequest(String routeId, Entity entity, List<UUID> batchIds,
                                   Map<RecordRef, Map<String, String>> corrections, String actor) {

        public ReprocessRequest {
            batchIds = batchIds == null ? List.of() : List.copyOf(batchIds);
            corrections = corrections == null ? Map.of() : Map.copyOf(corrections);
        }
    }

    public record ReprocessResult(int examined, int resolved, int stillQuarantined) {
    }

    /**
     * Rebuilds cleaned rows (and the served aggregates they feed) from raw, for the batches of an
     * entity received in [from, to) (optionally of one route), or for the listed batches.
     */
    public record ReplayRequest(Entity entity, String routeId, Instant from, Instant to, List<UUID> batchIds) {

        public ReplayRequest {
            batchIds = batchIds == null ? List.of() : List.copyOf(batchIds);
            from = from == null ? Instant.EPOCH : from;
            to = to == null ? Instant.parse("9999-01-01T00:00:00Z") : to;
        }

        public static ReplayRequest batches(Entity entity, List<UUID> batchIds) {
            return new ReplayRequest(entity, null, null, null, batchIds);
        }
    }

    /**
     * What a replay rebuilt. {@code newlyQuarantined} counts records the current contract refuses
     * although they had been cleaned before (a stricter contract); they are quarantined, not lost.
     */
    public record ReplayResult(int batches, long records, long cleaned, long keptInQuarantine,
                               long newlyQuarantined) {
    }
}
