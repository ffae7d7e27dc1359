package io.refinery.ingestion;

import io.refinery.ingestion.Requests.ReplayRequest;
import io.refinery.ingestion.Requests.ReplayResult;
import io.refinery.ingestion.Requests.ReprocessRequest;
import io.refinery.ingestion.Requests.ReprocessResult;
import io.refinery.ingestion.contract.DataContract;
import io.refinery.warehouse.ingest.IngestRecords.DriftEntry;
import io.refinery.warehouse.ingest.IngestRecords.QuarantineEntry;
import io.refinery.warehouse.ingest.IngestRecords.Reconciliation;
import io.refinery.warehouse.ingest.IngestRecords.RouteTotals;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The record path, the one way into the warehouse for every source, upload and generator: land
 * raw first, then apply the entity's data contract, valid rows to cleaned (and served), refused
 * ones to the quarantine, and account for every record.
 */
public interface Ingestion {

    /** Ingests records given as field maps (upload, demo); offsets are the list positions from 1. */
    IngestResult ingest(IngestRequest request, List<Map<String, String>> records);

    /** Ingests a stream of records in chunks of the request's batch size. */
    IngestResult ingest(IngestRequest request, Iterator<SourceRecord> records);

    /**
     * Ingests a CSV file through the engine lane when it applies to the file (plain rows of an entity and
     * options the lane handles, see {@code CsvBlockLane}): blocks of rows land raw as received and the
     * engine types their sure-valid rows into cleaned, the rest going through the contract as usual.
     * Empty when the lane does not apply: the caller then reads the file record by record. The blocks' batch
     * ids derive from {@code batchKey} (the file's checksum), asked for once the first block is read, so the
     * caller may still be computing it meanwhile.
     */
    default Optional<IngestResult> ingestCsvFile(IngestRequest request, Supplier<String> batchKey, Path file,
                                                 Charset charset, char delimiter) throws IOException {
        return Optional.empty();
    }

    /** Opens a push-style streamed ingest (for readers that call back, like XLSX SAX). */
    IngestSession open(IngestRequest request);

    /**
     * Whether a failed landing was a warehouse outage (keep the source's data, pause and retry) rather
     * than a fault of the data: the warehouse could not be reached for it, or does not answer now. Asking
     * only "does it answer now" misfiled a failure as bad data when the warehouse came back between the
     * failure and the question (a file moved to failed/ at the end of an outage).
     */
    boolean outage(Throwable failure);

    /** Applies the contract (and drift detection) to records without landing or writing anything. */
    Preview preview(IngestRequest request, List<Map<String, String>> records);

    /** Re-runs open quarantined records from raw after a contract change or with corrected values. */
    ReprocessResult reprocess(ReprocessRequest request);

    /** Rebuilds cleaned and served rows from raw for a time range or batches; idempotent. */
    ReplayResult replay(ReplayRequest request);

    /** Counters per route and overall (route "*"), with rates and lag. */
    List<RouteTotals> counters();

    /** The reconciliation per route: ingested = landed = cleaned + quarantined + duplicates. */
    List<Reconciliation> reconcile();

    /** Quarantined records; null or blank filters match all; status open, resolved or duplicate. */
    List<QuarantineEntry> quarantine(String routeId, Entity entity, String status, int limit);

    /** The drift report of a route (all routes when null), newest first. */
    List<DriftEntry> driftReport(String routeId, int limit);

    /** Publishes a new contract version (YAML); it becomes active for its entity. */
    DataContract publishContract(String yaml);

    /** The active contract of an entity. */
    DataContract contract(Entity entity);

    /**
     * Processes the route's landed batches that have no outcome yet (after a crash or outage between
     * landing and cleaning), reading them as the route reads its source: the request gives the route
     * id, column mapping, parse options and drift policy.
     */
    IngestResult recover(IngestRequest route);

    /** The records of a raw batch as field maps (lineage, debugging). */
    List<Map<String, String>> rawRecords(UUID batchId);
}
