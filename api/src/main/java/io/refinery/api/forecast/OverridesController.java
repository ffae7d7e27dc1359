package io.refinery.api.forecast;

import io.refinery.api.Blocking;
import io.refinery.api.Inputs;
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
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.security.Principal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Planner overrides of a run's forecast cells (sku × location × period), each with a reason; the
 * audit keeps who, when, old, new and why. Exports show the statistical and the final value. An
 * override carries over to later runs of the same cell until a planner clears it (see
 * {@link ForecastOverrides}).
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
            ForecastPoint point = point(run, body.sku(), body.location(), body.period());
            return overrides.save(new ForecastOverride(run.runId(), point.sku(), point.location(), point.period(),
                    point.p50(), body.value(), body.reason().strip(), planner.getName(), Instant.now()));
        });
    }

    @DeleteMapping
    @Operation(summary = "Clear the override of one forecast cell (planner), with a reason: the final value is the"
            + " statistical one again, in this run and in later runs, until a planner overrides it again")
    Mono<ForecastOverride> clear(@PathVariable @Pattern(regexp = ForecastRunsController.RUN_ID, message = "not a run id") String id,
                                 @RequestParam String sku, @RequestParam String location, @RequestParam String period,
                                 @RequestParam String reason, Principal planner) {
        String cellSku = Inputs.code("sku", sku);
        String cellLocation = Inputs.code("location", location);
        LocalDate cellPeriod = Inputs.date("period", period);
        if (cellSku == null || cellLocation == null || cellPeriod == null) {
            throw Problems.badRequest("sku, location and period name the cell to clear");
        }
        if (reason.isBlank() || reason.length() > 500) {
            throw Problems.invalidField("reason", "must be 1-500 characters");
        }
        return Blocking.call(() -> {
            ForecastRun run = ForecastRunsController.find(runs, id);
            ForecastPoint point = point(run, cellSku, cellLocation, cellPeriod);
            return overrides.clear(run.runId(), point.sku(), point.location(), point.period(), point.p50(),
                            reason.strip(), planner.getName(), Instant.now())
                    .orElseThrow(() -> Problems.notFound("no override in effect for " + cellSku + " at " + cellLocation
                            + " in the period starting " + cellPeriod + " of run " + run.runId()));
        });
    }

    private ForecastPoint point(ForecastRun run, String sku, String location, LocalDate period) {
        return Blocking.facade(runs, "forecasting").forecasts(run.runId(), sku, location)
                .stream().filter(p -> p.period().equals(period)).findFirst()
                .orElseThrow(() -> Problems.notFound("run " + run.runId() + " has no forecast for " + sku
                        + " at " + location + " in the period starting " + period));
    }

    @GetMapping
    @Operation(summary = "The overrides in effect for a run: its own and those carried over from earlier runs")
    Mono<List<ForecastOverride>> list(@PathVariable @Pattern(regexp = ForecastRunsController.RUN_ID, message = "not a run id") String id) {
        return Blocking.call(() -> overrides.forRun(ForecastRunsController.find(runs, id).runId()));
    }

    @GetMapping("/audit")
    @Operation(summary = "Every override decision behind a run's final values (on it and on earlier runs): who, when, old, new, why")
    Mono<List<OverrideAudit>> audit(@PathVariable @Pattern(regexp = ForecastRunsController.RUN_ID, message = "not a run id") String id) {
        return Blocking.call(() -> overrides.audit(ForecastRunsController.find(runs, id).runId()));
    }
}
