package io.refinery.warehouse.ingest;

import java.time.Instant;
import java.util.UUID;

/** The rows of the ingestion bookkeeping tables, as the ingestion module reads and writes them. */
public final class IngestRecords {

    private IngestRecords() {
    }

    /** What became of one landed batch; {@code landed = cleaned + quarantined + duplicates}. */
    public record BatchOutcome(UUID batchId, String routeId, String entity, String source, String sourceRef,
                               String contract, int received, int landed, int cleaned, int quarantined,
                               int duplicates, int served, Instant receivedAt, Instant processedAt) {
    }

    /** One rejected or superseded raw record. */
    public record QuarantineEntry(UUID batchId, int recordNo, String routeId, String entity, String contract,
                                  String rule, String field, String value, String reason, String status,
                                  String correction, Instant quarantinedAt, Instant updatedAt) {

        public static final String OPEN = "open";
        public static final String RESOLVED = "resolved";
        public static final String DUPLICATE = "duplicate";

        public QuarantineEntry withStatus(String newStatus, Instant at) {
            return new QuarantineEntry(batchId, recordNo, routeId, entity, contract, rule, field, value, reason,
                    newStatus, correction, quarantinedAt, at);
        }
    }

    /** A schema drift finding and the policy that was applied to its batch. */
    public record DriftEntry(String routeId, String entity, UUID batchId, Instant detectedAt, String change,
                             String column, String detail, String policy, String action) {
    }

    /** A batch manifest of the raw layer. */
    public record RawBatchInfo(UUID batchId, String source, String routeId, String entity, String sourceRef,
                               Instant receivedAt, int recordCount) {
    }

    /** Totals and rates of one route (or of all routes when {@code routeId} is "*"). */
    public record RouteTotals(String routeId, long batches, long received, long landed, long cleaned,
                              long quarantined, long duplicates, long served, Instant lastReceivedAt,
                              Instant lastProcessedAt, double recordsPerSecondLast5Minutes,
                              double averageLagMillis) {
    }

    /**
     * The reconciliation of one route: ingested = landed (manifest and records) = cleaned +
     * quarantined + duplicates, and the quarantine table holds exactly the quarantined records.
     */
    public record Reconciliation(String routeId, long ingested, long landedByManifest, long landedRecords,
                                 long cleaned, long quarantined, long quarantineRows, long duplicates,
                                 long unprocessedBatches) {

        public boolean balanced() {
            return ingested == landedByManifest && landedByManifest == landedRecords
                    && landedRecords == cleaned + quarantined + duplicates && quarantined == quarantineRows
                    && unprocessedBatches == 0;
        }
    }

    /** A persisted incremental cursor. */
    public record StoredCursor(String routeId, String cursor, UUID batchId, Instant updatedAt) {
    }

    /** A persisted route definition (JSON, secrets by reference only). */
    public record StoredRoute(String routeId, String kind, String entity, String definition, String desiredState,
                              String updatedBy, Instant updatedAt) {
    }

    /** Who changed which route, when, and how. */
    public record RouteAuditEntry(String routeId, Instant at, String actor, String action, String before,
                                  String after, String changes) {
    }
}
