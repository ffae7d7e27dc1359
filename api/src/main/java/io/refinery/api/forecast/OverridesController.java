package io.refinery.api.forecast;

import io.refinery.api.Blocking;
import io.refinery.api.problem.Problems;
import io.refinery.forecasting.ForecastPoint;
import io.refinery.forecasting.ForecastRun;
import io.refinery.forecasting.ForecastRuns;
import io.refinery.warehouse.api.ForecastOverride;
import io.refinery.warehouse.api.ForecastOverrides;
import io.refinery.warehouse.api.OverrideAudit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.security.Principal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Planner overrides of a run's forecast cells (sku × location × period), each with a reason; the
 * audit keeps who, when, old, new and why. Exports show the statistical and the final value.
 */
@RestController
@Validated
@RequestMapping("/api/v1/forecast-runs/{id}/overrides")
@Tag(name = "Forecast overrides")
class OverridesController {

    record OverrideBody(@NotNull @Pattern(regexp = ForecastRunsController.CODE) String sku,
                        @NotNull @Pattern(regexp = ForecastRunsController.CODE) String location,
                        @NotNull LocalDate period,
                        @NotNull @DecimalMin("0") @DecimalMax("1e12") Double value,
                        @NotBlank @Size(max = 500) String reason) {
    }

    private final ObjectProvider<ForecastRuns> runs;
    private final ForecastOverrides overrides;

    OverridesController(ObjectProvider<ForecastRuns> runs, ForecastOverrides overrides) {
        this.runs = runs;
        this.overrides = overrides;
    }

    @PutMapping
    @Operation(summary = "Set the final value of one forecast cell (planner), with a reason")
    Mono<ForecastOverride> override(@PathVariable @Pattern(regexp = ForecastRunsController.RUN_ID, message = "not a run id") String id,
                                    @Valid @RequestBody OverrideBody body, Principal planner) {
        return Blocking.call(() -> {
            ForecastRun run = ForecastRunsController.find(runs, id);
            ForecastPoint point = Blocking.facade(runs, "forecasting").forecasts(run.runId(), body.sku(), body.location())
                    .stream().filter(p -> p.period().equals(body.period())).findFirst()
                    .orElseThrow(() -> Problems.notFound("run " + run.runId() + " has no forecast for " + body.sku()
                            + " at " + body.location() + " in the period starting " + body.period()));
            return overrides.save(new ForecastOverride(run.runId(), point.sku(), point.location(), point.period(),
                    point.p50(), body.value(), body.reason().strip(), planner.getName(), Instant.now()));
        });
    }

    @GetMapping
    @Operation(summary = "The current overrides of a run")
    Mono<List<ForecastOverride>> list(@PathVariable @Pattern(regexp = ForecastRunsController.RUN_ID, message = "not a run id") String id) {
        return Blocking.call(() -> overrides.forRun(ForecastRunsController.find(runs, id).runId()));
    }

    @GetMapping("/audit")
    @Operation(summary = "Every override of a run: who, when, old, new, why")
    Mono<List<OverrideAudit>> audit(@PathVariable @Pattern(regexp = ForecastRunsController.RUN_ID, message = "not a run id") String id) {
        return Blocking.call(() -> overrides.audit(ForecastRunsController.find(runs, id).runId()));
    }
}
