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
import io.refinery.warehouse.api.QuarantineReads;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.util.UriComponentsBuilder;
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
    private final QuarantineReads quarantine;
    private final ObjectProvider<QualityGates> quality;

    PipelineController(ObjectProvider<Ingestion> ingestion, QuarantineReads quarantine,
                       ObjectProvider<QualityGates> quality) {
        this.ingestion = ingestion;
        this.quarantine = quarantine;
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
    @Operation(summary = "Quarantined records, filtered in the warehouse and paged (Link rel=next);"
            + " status open, resolved or duplicate")
    Mono<ResponseEntity<List<QuarantineEntry>>> quarantine(
            @RequestParam(required = false) String routeId,
            @RequestParam(required = false) String entity,
            @RequestParam(required = false) String status,
            @Parameter(description = "one upload or route batch") @RequestParam(required = false) String batchId,
            @Parameter(description = "the contract rule that refused the record") @RequestParam(required = false) String rule,
            @Parameter(description = "the field the rule refused") @RequestParam(required = false) String field,
            @Parameter(description = "text the reason contains (case-insensitive)") @RequestParam(required = false) String reason,
            @Parameter(description = "rows to skip (paging), default 0") @RequestParam(required = false) Long offset,
            @Parameter(description = "rows at most, 1-10000 (default 500)") @RequestParam(required = false) Integer limit,
            ServerHttpRequest request) {
        String route = routeId(routeId);
        Entity parsedEntity = entity(entity);
        String parsedStatus = status == null || status.isBlank() ? null : switch (status) {
            case QuarantineEntry.OPEN, QuarantineEntry.RESOLVED, QuarantineEntry.DUPLICATE -> status;
            default -> throw Problems.invalidField("status", "must be one of open, resolved, duplicate");
        };
        UUID batch = uuid("batchId", batchId);
        String parsedRule = text("rule", rule, 64, "^[A-Za-z0-9_.:-]+$");
        String parsedField = text("field", field, 64, "^[A-Za-z0-9_.-]+$");
        String parsedReason = text("reason", reason, 200, null);
        if (offset != null && (offset < 0 || offset > 1_000_000_000L)) {
            throw Problems.invalidField("offset", "must be between 0 and 1000000000");
        }
        long skip = offset == null ? 0 : offset;
        int bounded = Inputs.bounded("limit", limit, 500, 1, 10_000);
        QuarantineReads.Query query = new QuarantineReads.Query(route, parsedEntity == null ? null : parsedEntity.wireName(),
                parsedStatus, batch, parsedRule, parsedField, parsedReason, skip, bounded + 1);
        return Blocking.call(() -> quarantine.find(query)).map(rows -> {
            var response = ResponseEntity.ok();
            if (rows.size() > bounded) {
                // One row more than asked tells that there is a next page, without counting.
                var next = UriComponentsBuilder.fromUri(request.getURI()).replaceQueryParam("offset", skip + bounded)
                        .build(true).toUri();
                response.header(HttpHeaders.LINK, "<" + next.getRawPath() + "?" + next.getRawQuery() + ">; rel=\"next\"");
            }
            return response.body(rows.size() > bounded ? rows.subList(0, bounded) : rows);
        });
    }

    /** An optional free-text filter: trimmed, bounded, and (when given) of an expected shape. */
    private static String text(String name, String value, int max, String pattern) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String stripped = value.strip();
        if (stripped.length() > max || (pattern != null && !stripped.matches(pattern))) {
            throw Problems.invalidField(name, pattern == null ? "must be at most " + max + " characters"
                    : "must be at most " + max + " letters, digits or . _ - :");
        }
        return stripped;
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
