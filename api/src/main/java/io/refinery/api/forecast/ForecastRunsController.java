package io.refinery.api.forecast;

import io.refinery.api.Blocking;
import io.refinery.api.Inputs;
import io.refinery.api.problem.Problems;
import io.refinery.forecasting.ForecastRequest;
import io.refinery.forecasting.ForecastRun;
import io.refinery.forecasting.ForecastRuns;
import io.refinery.forecasting.Grain;
import io.refinery.forecasting.Scope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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

import java.net.URI;
import java.security.Principal;
import java.util.List;

/** Forecast runs: start one (planner), follow its status, progress, accuracy and lineage. */
@RestController
@Validated
@RequestMapping("/api/v1/forecast-runs")
@Tag(name = "Forecast runs")
class ForecastRunsController {

    static final String RUN_ID = "^(latest|[A-Za-z0-9_-]{1,64})$";
    static final String CODE = "^[\\p{L}\\p{N} ._:/#&()+*-]{1,128}$";

    record ScopeBody(@Size(max = 10_000) List<@NotNull @Pattern(regexp = CODE) String> skus,
                     @Size(max = 10_000) List<@NotNull @Pattern(regexp = CODE) String> locations,
                     @Size(max = 1_000) List<@NotNull @Pattern(regexp = CODE) String> categories) {
    }

    record RunBody(@NotNull Grain grain, @NotNull @Min(1) @Max(366) Integer horizon, @Valid ScopeBody scope) {
    }

    record Started(String runId, String status, URI href) {
    }

    private final ObjectProvider<ForecastRuns> runs;

    ForecastRunsController(ObjectProvider<ForecastRuns> runs) {
        this.runs = runs;
    }

    @PostMapping
    @Operation(summary = "Start a forecast run (202 + run id; 409 when the scope is already running)")
    Mono<ResponseEntity<Started>> start(@Valid @RequestBody RunBody body, Principal user) {
        Scope scope = body.scope() == null ? Scope.ALL
                : new Scope(body.scope().skus(), body.scope().locations(), body.scope().categories());
        ForecastRequest request = new ForecastRequest(body.grain(), body.horizon(), scope);
        return Blocking.call(() -> Blocking.facade(runs, "forecasting").start(request, user.getName(), "api"))
                .map(run -> {
                    URI href = URI.create("/api/v1/forecast-runs/" + run.runId());
                    return ResponseEntity.accepted().location(href)
                            .body(new Started(run.runId(), run.status().name().toLowerCase(), href));
                });
    }

    @GetMapping
    @Operation(summary = "Runs, newest first")
    Mono<List<ForecastRun>> list(@RequestParam(required = false) Integer limit) {
        int bounded = Inputs.bounded("limit", limit, 50, 1, 1000);
        return Blocking.call(() -> Blocking.facade(runs, "forecasting").list(bounded));
    }

    @GetMapping("/{id}")
    @Operation(summary = "A run: status, progress, accuracy, lineage; 'latest' is the newest successful run")
    Mono<ForecastRun> find(@PathVariable @Pattern(regexp = RUN_ID, message = "not a run id") String id) {
        return Blocking.call(() -> find(runs, id));
    }

    static ForecastRun find(ObjectProvider<ForecastRuns> runs, String id) {
        return Blocking.facade(runs, "forecasting").find(id)
                .orElseThrow(() -> Problems.notFound(ForecastRuns.LATEST.equals(id) ? "no successful forecast run yet"
                        : "no forecast run '" + id + "'"));
    }
}
