package io.refinery.ops.lineage;

import io.refinery.forecasting.ForecastRun;
import io.refinery.ingestion.BatchIngested;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds OpenLineage RunEvents (spec 2-0-2) for Refinery's jobs: one run per ingestion batch (job
 * {@code ingest.<route>}) and one per forecast run (job {@code forecast.<grain>}). Warehouse datasets
 * are named {@code <database>.<table>} in the namespace {@code clickhouse://host:port}, following the
 * OpenLineage naming conventions for ClickHouse.
 */
final class OpenLineageEvents {

    static final String SCHEMA_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
    static final URI PRODUCER = URI.create("https://github.com/refinery/refinery/tree/main/ops");
    private static final String JOB_TYPE = "https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet";
    private static final String ERROR = "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet";
    private static final String OUTPUT_STATISTICS = "https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet";
    private static final String NOMINAL_TIME = "https://openlineage.io/spec/facets/1-0-1/NominalTimeRunFacet.json#/$defs/NominalTimeRunFacet";

    private final String namespace;
    private final String warehouseNamespace;
    private final String database;

    /** @param warehouseUrl the warehouse's HTTP URL ({@code http://host:port}) */
    OpenLineageEvents(String namespace, String warehouseUrl, String database) {
        this.namespace = namespace;
        URI uri = URI.create(warehouseUrl);
        this.warehouseNamespace = "clickhouse://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 8123 : uri.getPort());
        this.database = database;
    }

    /** START (at receipt) and COMPLETE or FAIL (at processing) of one batch. */
    List<Map<String, Object>> batch(BatchIngested b) {
        String table = b.entity().wireName().replace('-', '_');
        Map<String, Object> job = job("ingest." + b.routeId(), "INGESTION");
        List<Map<String, Object>> inputs = List.of(dataset(b.source() + "://" + b.routeId(), b.sourceRef().isEmpty()
                ? b.entity().wireName() : b.sourceRef(), Map.of()));
        Map<String, Object> startRun = run(b.batchId(), Map.of("nominalTime", facet(NOMINAL_TIME,
                "nominalStartTime", b.receivedAt().toString())));
        Map<String, Object> start = event("START", b.receivedAt(), startRun, job, inputs,
                List.of(table("raw_records", null)));
        Map<String, Object> end;
        if (b.failed()) {
            end = event("FAIL", b.processedAt(), run(b.batchId(), Map.of("errorMessage", facet(ERROR,
                    "message", b.failure(), "programmingLanguage", "JAVA"))), job, inputs,
                    List.of(table("raw_records", b.landed())));
        } else {
            List<Map<String, Object>> outputs = new ArrayList<>();
            outputs.add(table("raw_records", b.landed()));
            outputs.add(table(table, b.cleaned()));
            if (b.quarantined() + b.duplicates() > 0) {
                outputs.add(table("ingest_quarantine", b.quarantined() + b.duplicates()));
            }
            end = event("COMPLETE", b.processedAt(), run(b.batchId(), Map.of("refinery_batch", facet(
                    "https://github.com/refinery/refinery/blob/main/docs/openlineage-facets.json#/$defs/BatchFacet",
                    "contract", b.contract(), "received", b.received(), "quarantined", b.quarantined(),
                    "duplicates", b.duplicates()))), job, inputs, outputs);
        }
        return List.of(start, end);
    }

    /** START for a run's first state, COMPLETE or FAIL when it finished; null for progress updates. */
    Map<String, Object> forecastRun(ForecastRun run, boolean first) {
        String type = switch (run.status()) {
            case SUCCEEDED -> "COMPLETE";
            case FAILED -> "FAIL";
            case QUEUED, RUNNING -> first ? "START" : null;
        };
        if (type == null) {
            return null;
        }
        Map<String, Object> job = job("forecast." + run.request().grain().name().toLowerCase(), "FORECAST");
        UUID runId = runUuid(run.runId());
        Map<String, Object> facets = new LinkedHashMap<>();
        facets.put("refinery_run", facet("https://github.com/refinery/refinery/blob/main/docs/openlineage-facets.json#/$defs/RunFacet",
                "refineryRunId", run.runId(), "trigger", run.trigger(), "requestedBy", run.requestedBy()));
        if (type.equals("FAIL")) {
            facets.put("errorMessage", facet(ERROR, "message", run.message() == null ? "failed" : run.message(),
                    "programmingLanguage", "JAVA"));
        }
        Instant time = type.equals("START") ? run.startedAt() : run.finishedAt();
        Map<String, Object> demand = table("demand_daily", null);
        if (run.lineage() != null && run.lineage().dataAsOf() != null) {
            // The snapshot the run read: the version lets a consumer pin the input.
            demand = dataset(warehouseNamespace, database + ".demand_daily", Map.of("version", facet(
                    "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet",
                    "datasetVersion", Long.toString(run.lineage().dataVersion()))));
        }
        List<Map<String, Object>> outputs = type.equals("COMPLETE")
                ? List.of(table("forecasts", null), table("forecast_series_accuracy", null), table("forecast_runs", null))
                : List.of(table("forecast_runs", null));
        return event(type, time == null ? Instant.now() : time, run(runId, facets), job, List.of(demand), outputs);
    }

    /** OpenLineage wants a UUID per run; Refinery run ids are readable strings, so derive one stably. */
    static UUID runUuid(String runId) {
        return UUID.nameUUIDFromBytes(("refinery-forecast-run:" + runId).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> event(String type, Instant time, Map<String, Object> run, Map<String, Object> job,
                                             List<Map<String, Object>> inputs, List<Map<String, Object>> outputs) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventType", type);
        event.put("eventTime", time.toString());
        event.put("run", run);
        event.put("job", job);
        event.put("inputs", inputs);
        event.put("outputs", outputs);
        event.put("producer", PRODUCER.toString());
        event.put("schemaURL", SCHEMA_URL);
        return event;
    }

    private static Map<String, Object> run(UUID runId, Map<String, Object> facets) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("runId", runId.toString());
        run.put("facets", facets);
        return run;
    }

    private Map<String, Object> job(String name, String jobType) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("namespace", namespace);
        job.put("name", name);
        job.put("facets", Map.of("jobType", facet(JOB_TYPE, "processingType", "BATCH", "integration", "REFINERY",
                "jobType", jobType)));
        return job;
    }

    /** A warehouse table; with a row count it is an output carrying the outputStatistics facet. */
    private Map<String, Object> table(String table, Long rowCount) {
        Map<String, Object> dataset = dataset(warehouseNamespace, database + "." + table, Map.of());
        if (rowCount != null) {
            dataset.put("outputFacets", Map.of("outputStatistics", facet(OUTPUT_STATISTICS, "rowCount", rowCount)));
        }
        return dataset;
    }

    private static Map<String, Object> dataset(String namespace, String name, Map<String, Object> facets) {
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("namespace", namespace);
        dataset.put("name", name);
        dataset.put("facets", facets);
        return dataset;
    }

    private static Map<String, Object> facet(String schemaUrl, Object... keyValues) {
        Map<String, Object> facet = new LinkedHashMap<>();
        facet.put("_producer", PRODUCER.toString());
        facet.put("_schemaURL", schemaUrl);
        for (int i = 0; i < keyValues.length; i += 2) {
            facet.put((String) keyValues[i], keyValues[i + 1]);
        }
        return facet;
    }
}
