package io.refinery.api.pipeline;

import io.refinery.api.Blocking;
import io.refinery.api.Inputs;
import io.refinery.api.problem.Problems;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.Requests.RecordRef;
import io.refinery.ingestion.Requests.ReprocessRequest;
import io.refinery.ingestion.Requests.ReprocessResult;
import io.refinery.ops.quality.CheckResult;
import io.refinery.ops.quality.CheckStatus;
import io.refinery.ops.quality.QualityGates;
import io.refinery.warehouse.ingest.IngestRecords.QuarantineEntry;
import io.refinery.warehouse.ingest.IngestRecords.Reconciliation;
import io.refinery.warehouse.ingest.IngestRecords.RouteTotals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.security.Principal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The ingestion pipeline as operators see it: counters, reconciliation, quarantine, re-processing. */
@RestController
@Validated
@Tag(name = "Pipeline")
class PipelineController {

    static final String ROUTE_ID = "^[A-Za-z0-9._-]{1,64}$";

    /** The quality section: counts by status over the newest result of every check, and the failing blocking ones. */
    record QualitySection(Map<CheckStatus, Long> counts, Instant lastCheckedAt, List<CheckResult> failingBlocking) {
    }

    record Pipeline(List<RouteTotals> counters, List<Reconciliation> reconciliation, QualitySection quality) {
    }

    record Correction(@NotNull UUID batchId, @NotNull @Min(1) Integer recordNo,
                      @NotNull @Size(max = 100) Map<@Pattern(regexp = "^[A-Za-z0-9_]{1,64}$") String, @Size(max = 4096) String> fields) {
    }

    record ReprocessBody(@Pattern(regexp = ROUTE_ID) String routeId, @Pattern(regexp = "^[a-z-]{1,32}$") String entity,
                         @Size(max = 10_000) List<@NotNull UUID> batchIds, @Size(max = 10_000) List<@Valid @NotNull Correction> corrections) {
    }

    private final ObjectProvider<Ingestion> ingestion;
    private final ObjectProvider<QualityGates> quality;

    PipelineController(ObjectProvider<Ingestion> ingestion, ObjectProvider<QualityGates> quality) {
        this.ingestion = ingestion;
        this.quality = quality;
    }

    @GetMapping("/api/v1/pipeline")
    @Operation(summary = "Ingestion counters per route (route '*' = all), the reconciliation and the quality gates' state")
    Mono<Pipeline> pipeline() {
        return Blocking.call(() -> {
            Ingestion facade = Blocking.facade(ingestion, "ingestion");
            QualityGates gates = quality.getIfAvailable();
            QualityGates.Summary summary = gates == null ? null : gates.summary();
            return new Pipeline(facade.counters(), facade.reconcile(), summary == null ? null
                    : new QualitySection(summary.counts(), summary.lastCheckedAt(), summary.failingBlocking()));
        });
    }

    @GetMapping("/api/v1/quarantine")
    @Operation(summary = "Quarantined records; status open, resolved or duplicate")
    Mono<List<QuarantineEntry>> quarantine(@RequestParam(required = false) String routeId,
                                           @RequestParam(required = false) String entity,
                                           @RequestParam(required = false) String status,
                                           @RequestParam(required = false) String batchId,
                                           @RequestParam(required = false) Integer limit) {
        String route = routeId(routeId);
        Entity parsedEntity = entity(entity);
        String parsedStatus = status == null || status.isBlank() ? null : switch (status) {
            case QuarantineEntry.OPEN, QuarantineEntry.RESOLVED, QuarantineEntry.DUPLICATE -> status;
            default -> throw Problems.invalidField("status", "must be one of open, resolved, duplicate");
        };
        UUID batch = uuid("batchId", batchId);
        int bounded = Inputs.bounded("limit", limit, 500, 1, 10_000);
        return Blocking.call(() -> Blocking.facade(ingestion, "ingestion")
                .quarantine(route, parsedEntity, parsedStatus, batch == null ? bounded : 10_000).stream()
                .filter(e -> batch == null || batch.equals(e.batchId())).limit(bounded).toList());
    }

    @PostMapping("/api/v1/quarantine/reprocess")
    @Operation(summary = "Re-run open quarantined records through the active contract, optionally corrected (admin)")
    Mono<ReprocessResult> reprocess(@Valid @RequestBody ReprocessBody body, Principal admin) {
        Map<RecordRef, Map<String, String>> corrections = new LinkedHashMap<>();
        if (body.corrections() != null) {
            body.corrections().forEach(c -> corrections.put(new RecordRef(c.batchId(), c.recordNo()), c.fields()));
        }
        ReprocessRequest request = new ReprocessRequest(body.routeId(), entity(body.entity()), body.batchIds(),
                corrections, admin.getName());
        return Blocking.call(() -> Blocking.facade(ingestion, "ingestion").reprocess(request));
    }

    static String routeId(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!value.matches(ROUTE_ID)) {
            throw Problems.invalidField("routeId", "must be 1-64 letters, digits, '.', '_' or '-'");
        }
        return value;
    }

    static Entity entity(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Entity.of(value);
        } catch (IllegalArgumentException e) {
            throw Problems.invalidField("entity", e.getMessage());
        }
    }

    private static UUID uuid(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw Problems.invalidField(field, "not a UUID");
        }
    }
}
