package io.refinery.api.jobs;

import io.refinery.api.Blocking;
import io.refinery.api.Inputs;
import io.refinery.api.problem.Problems;
import io.refinery.ops.orchestration.JobView;
import io.refinery.ops.orchestration.Orchestrator;
import io.refinery.warehouse.jobs.JobRunFilter;
import io.refinery.warehouse.jobs.JobRunRow;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.security.Principal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The job graph (viewer), its run history (viewer), runs by hand and backfills (admin). */
@RestController
@Validated
@RequestMapping("/api/v1/jobs")
@Tag(name = "Jobs")
class JobsController {

    static final String NAME = "^[a-z0-9-]{1,64}$";
    static final String STATUS = "^(RUNNING|SUCCEEDED|FAILED|TIMED_OUT|LEASE_LOST|BLOCKED|INTERRUPTED)$";

    record RunBody(@Pattern(regexp = "^[\\p{L}\\p{N} ._:/*-]{1,128}$") String scope) {
    }

    record BackfillBody(@NotNull Instant from, @NotNull Instant to) {
    }

    record Queued(String triggerKey, String job, String scope) {
    }

    record BackfillQueued(String requestId, int chunks) {
    }

    record RunPage(long total, int offset, int limit, List<JobRunRow> runs) {
    }

    private final ObjectProvider<Orchestrator> orchestrator;

    JobsController(ObjectProvider<Orchestrator> orchestrator) {
        this.orchestrator = orchestrator;
    }

    @GetMapping
    @Operation(summary = "Jobs of the graph: triggers (upstream assets, schedule), limits, lease holders, newest runs")
    Mono<List<JobView>> jobs() {
        return Blocking.call(() -> facade().jobs());
    }

    @GetMapping("/runs")
    @Operation(summary = "Run history (one row per attempt), newest first; filters and paging")
    Mono<RunPage> runs(@RequestParam(required = false) @Pattern(regexp = NAME) String job,
                       @RequestParam(required = false) @Pattern(regexp = "^[\\p{L}\\p{N} ._:/*-]{1,128}$") String scope,
                       @RequestParam(required = false) @Pattern(regexp = STATUS) String status,
                       @RequestParam(required = false) @Pattern(regexp = "^(schedule|data|manual|backfill)$") String trigger,
                       @RequestParam(required = false) @Pattern(regexp = "^(online|backfill)$") String lane,
                       @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                       @RequestParam(required = false) Integer offset, @RequestParam(required = false) Integer limit) {
        JobRunFilter filter = new JobRunFilter(job, scope, status, trigger, lane, instant("from", from), instant("to", to));
        int first = Inputs.bounded("offset", offset, 0, 0, 1_000_000);
        int size = Inputs.bounded("limit", limit, 50, 1, 1000);
        return Blocking.call(() -> new RunPage(facade().countRuns(filter), first, size, facade().runs(filter, first, size)));
    }

    @PostMapping("/{job}/run")
    @Operation(summary = "Run a job now (202); it runs once across replicas, when its lease is free")
    Mono<ResponseEntity<Queued>> run(@PathVariable @Pattern(regexp = NAME) String job,
                                     @Valid @RequestBody(required = false) RunBody body, Principal user) {
        String scope = body == null ? null : body.scope();
        return Blocking.call(() -> {
            try {
                String key = facade().runNow(job, scope, user.getName());
                return ResponseEntity.accepted().body(new Queued(key, job, scope == null ? "*" : scope));
            } catch (Orchestrator.UnknownJobException e) {
                throw Problems.notFound(e.getMessage());
            } catch (IllegalArgumentException e) {
                throw Problems.badRequest(e.getMessage());
            }
        });
    }

    @PostMapping("/backfill")
    @Operation(summary = "Backfill [from, to) on the backfill lane (limited concurrency, the online lane keeps running)")
    Mono<ResponseEntity<BackfillQueued>> backfill(@Valid @RequestBody BackfillBody body, Principal user) {
        return Blocking.call(() -> {
            try {
                Orchestrator.Backfill queued = facade().backfill(body.from(), body.to(), user.getName());
                return ResponseEntity.accepted().body(new BackfillQueued(queued.requestId(), queued.chunks()));
            } catch (IllegalArgumentException e) {
                throw Problems.badRequest(e.getMessage());
            } catch (IllegalStateException e) {
                throw Problems.unavailable(e.getMessage());
            }
        });
    }

    private Orchestrator facade() {
        return Blocking.facade(orchestrator, "orchestration");
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw Problems.invalidField(field, "an ISO-8601 instant like 2026-01-31T00:00:00Z");
        }
    }
}
