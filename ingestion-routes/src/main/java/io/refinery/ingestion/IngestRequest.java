package io.refinery.ingestion;

import io.refinery.ingestion.contract.ParseOptions;

import java.util.Map;
import java.util.Objects;

/**
 * What is being ingested and how.
 *
 * @param entity        the entity (selects the data contract and the cleaned table)
 * @param routeId       the route (or upload/demo stream) the records come from; its raw hash chain
 * @param source        the source kind
 * @param sourceRef     file name, cursor range, topic… for people and lineage
 * @param batchKey      stable identity of the delivery (file checksum, cursor range); the batch id of
 *                      each chunk derives from it so a re-delivery is recognised. Null: derived from content.
 * @param parseOptions  zone and date patterns of the source
 * @param driftPolicy   what to do on schema drift
 * @param columnMapping source column → canonical field, for columns the contract's aliases do not cover
 * @param batchSize     records per raw batch (chunk); keep it stable for a route so re-deliveries match
 */
public record IngestRequest(Entity entity, String routeId, SourceKind source, String sourceRef, String batchKey,
                            ParseOptions parseOptions, DriftPolicy driftPolicy, Map<String, String> columnMapping,
                            int batchSize) {

    public static final int DEFAULT_BATCH_SIZE = 10_000;

    public IngestRequest {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(routeId, "routeId");
        Objects.requireNonNull(source, "source");
        sourceRef = sourceRef == null ? "" : sourceRef;
        parseOptions = parseOptions == null ? ParseOptions.UTC : parseOptions;
        driftPolicy = driftPolicy == null ? DriftPolicy.ACCEPT_AND_FLAG : driftPolicy;
        columnMapping = columnMapping == null ? Map.of() : Map.copyOf(columnMapping);
        batchSize = batchSize <= 0 ? DEFAULT_BATCH_SIZE : batchSize;
    }

    public static IngestRequest of(Entity entity, String routeId, SourceKind source, String sourceRef) {
        return new IngestRequest(entity, routeId, source, sourceRef, null, null, null, null, 0);
    }

    public IngestRequest withBatchKey(String key) {
        return new IngestRequest(entity, routeId, source, sourceRef, key, parseOptions, driftPolicy, columnMapping,
                batchSize);
    }

    public IngestRequest withParseOptions(ParseOptions options) {
        return new IngestRequest(entity, routeId, source, sourceRef, batchKey, options, driftPolicy, columnMapping,
                batchSize);
    }

    public IngestRequest withDriftPolicy(DriftPolicy policy) {
        return new IngestRequest(entity, routeId, source, sourceRef, batchKey, parseOptions, policy, columnMapping,
                batchSize);
    }

    public IngestRequest withColumnMapping(Map<String, String> mapping) {
        return new IngestRequest(entity, routeId, source, sourceRef, batchKey, parseOptions, driftPolicy, mapping,
                batchSize);
    }

    public IngestRequest withBatchSize(int size) {
        return new IngestRequest(entity, routeId, source, sourceRef, batchKey, parseOptions, driftPolicy, columnMapping,
                size);
    }

    public IngestRequest withSourceRef(String ref) {
        return new IngestRequest(entity, routeId, source, ref, batchKey, parseOptions, driftPolicy, columnMapping,
                batchSize);
    }
}
