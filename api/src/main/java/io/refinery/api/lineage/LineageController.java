package io.refinery.api.lineage;

import io.refinery.api.Blocking;
import io.refinery.api.problem.Problems;
import io.refinery.warehouse.lineage.LineageGraph;
import io.refinery.warehouse.lineage.LineageReads;
import io.refinery.warehouse.raw.RawChainVerifier;
import io.refinery.warehouse.raw.RawChainVerifier.RouteVerification;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/**
 * Lineage of forecast values and raw batches as graphs (nodes + edges pointing upstream), and the
 * verification of the raw layer's hash chains.
 */
@RestController
@Tag(name = "Lineage")
class LineageController {

    private static final String RUN_ID = "^[A-Za-z0-9._:-]{1,128}$";
    private static final String CODE = "^[^\\p{Cntrl}]{1,128}$";
    private static final String ROUTE_ID = "^[A-Za-z0-9._-]{1,64}$";

    /** The verdict over the routes asked for: ok only when every chain holds. */
    record Verification(boolean ok, List<RouteVerification> routes) {
    }

    private final LineageReads lineage;
    private final RawChainVerifier verifier;

    LineageController(LineageReads lineage, RawChainVerifier verifier) {
        this.lineage = lineage;
        this.verifier = verifier;
    }

    @GetMapping("/api/v1/lineage/forecasts/{runId}")
    @Operation(summary = "Where a run's forecast values for one series came from: run, model, data snapshot,"
            + " served and cleaned rows, raw batches, routes ('*' = aggregate level, runId 'latest' allowed)")
    Mono<LineageGraph> forecast(@PathVariable String runId, @RequestParam String sku, @RequestParam String location,
                                @RequestParam(required = false) String period) {
        if (!runId.matches(RUN_ID)) {
            throw Problems.invalidField("runId", "must be 1-128 letters, digits, '.', '_', ':' or '-'");
        }
        if (!sku.matches(CODE)) {
            throw Problems.invalidField("sku", "must be 1-128 printable characters ('*' for all)");
        }
        if (!location.matches(CODE)) {
            throw Problems.invalidField("location", "must be 1-128 printable characters ('*' for all)");
        }
        LocalDate day = date(period);
        return Blocking.call(() -> lineage.forecast(runId, sku, location, day).orElseThrow(() -> Problems.notFound(
                "run " + runId + " has no forecast for sku " + sku + " at " + location
                        + (day == null ? "" : " in period " + day))));
    }

    @GetMapping("/api/v1/lineage/raw-batches/{batchId}")
    @Operation(summary = "What a raw batch feeds: its route, cleaned rows, quarantine, served demand and the runs that read it")
    Mono<LineageGraph> rawBatch(@PathVariable String batchId) {
        UUID id;
        try {
            id = UUID.fromString(batchId);
        } catch (IllegalArgumentException e) {
            throw Problems.invalidField("batchId", "not a UUID");
        }
        return Blocking.call(() -> lineage.rawBatch(id).orElseThrow(() -> Problems.notFound("no raw batch " + batchId)));
    }

    /**
     * Admin only: the verification rehashes every stored payload of the routes asked for, a full
     * scan of the raw layer that a viewer should not be able to trigger at will.
     */
    @GetMapping("/api/v1/raw/verify")
    @Operation(summary = "Recompute every raw batch hash and the hash chain per route; ok or the first broken batch (admin)")
    Mono<Verification> verify(@RequestParam(required = false) String route) {
        if (route != null && !route.isBlank() && !route.matches(ROUTE_ID)) {
            throw Problems.invalidField("route", "must be 1-64 letters, digits, '.', '_' or '-'");
        }
        return Blocking.call(() -> {
            List<RouteVerification> routes;
            if (route == null || route.isBlank()) {
                routes = verifier.verifyAll();
            } else {
                RouteVerification one = verifier.verify(route);
                if (one.batches() == 0) {
                    throw Problems.notFound("route " + route + " has no raw batches");
                }
                routes = List.of(one);
            }
            return new Verification(routes.stream().allMatch(RouteVerification::ok), routes);
        });
    }

    private static LocalDate date(String period) {
        if (period == null || period.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(period);
        } catch (DateTimeParseException e) {
            throw Problems.invalidField("period", "must be an ISO date (yyyy-MM-dd)");
        }
    }
}
