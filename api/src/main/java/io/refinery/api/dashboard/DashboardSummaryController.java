package io.refinery.api.dashboard;

import io.refinery.api.Blocking;
import io.refinery.api.Inputs;
import io.refinery.api.problem.Problems;
import io.refinery.warehouse.api.DemandGrain;
import io.refinery.warehouse.api.DemandTotals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What the dashboard's charts draw first, in one small answer: demand summed per period over the
 * series the filters leave open. The general demand endpoint returns every series' periods (about
 * 100 000 rows for the overview's eight weeks of demo data), which the page had to download, parse
 * and add up before its first chart.
 */
@RestController
@Tag(name = "Dashboard")
class DashboardSummaryController {

    static final String PATH = "/api/v1/dashboard/demand-totals";
    static final int MAX_DAYS = 3660;

    /**
     * @param from   first day asked for (inclusive, UTC; the first period starts on or before it)
     * @param to     last day (inclusive, UTC)
     * @param totals one entry per period with demand, in order
     */
    record Totals(String grain, LocalDate from, LocalDate to, List<DemandTotals.PeriodTotal> totals) {
    }

    private final DemandTotals demandTotals;

    DashboardSummaryController(DemandTotals demandTotals) {
        this.demandTotals = demandTotals;
    }

    @GetMapping(PATH)
    @Operation(summary = "Demand summed per period over all series the filters leave open (the dashboard's charts)")
    Mono<Totals> totals(
            @Parameter(description = "SKU code (default: all)") @RequestParam(required = false) String sku,
            @Parameter(description = "location code (default: all)") @RequestParam(required = false) String location,
            @Parameter(description = "product category (default: all)") @RequestParam(required = false) String category,
            @Parameter(description = "day, week or month (default day)") @RequestParam(required = false) String grain,
            @Parameter(description = "first day (inclusive, yyyy-MM-dd); default: 'days' before 'to'") @RequestParam(required = false) String from,
            @Parameter(description = "last day (inclusive, yyyy-MM-dd, default today UTC)") @RequestParam(required = false) String to,
            @Parameter(description = "without 'from': number of days up to 'to', 1-3660 (default 56)") @RequestParam(required = false) Integer days) {
        DemandGrain chosen = Inputs.option("grain", grain, DemandGrain.class, DemandGrain.DAY);
        LocalDate last = Inputs.date("to", to);
        LocalDate end = last == null ? LocalDate.now(ZoneOffset.UTC) : last;
        LocalDate first = Inputs.date("from", from);
        LocalDate start = first != null ? first : end.minusDays(Inputs.bounded("days", days, 56, 1, MAX_DAYS) - 1L);
        if (end.isBefore(start)) {
            throw Problems.invalidField("to", "must not be before from");
        }
        if (ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
            throw Problems.invalidField("from", "at most " + MAX_DAYS + " days from 'from' to 'to'");
        }
        DemandTotals.Query query = new DemandTotals.Query(chosen, Inputs.code("sku", sku), Inputs.code("location", location),
                Inputs.code("category", category), start, end);
        return Blocking.call(() -> new Totals(chosen.name().toLowerCase(java.util.Locale.ROOT), start, end,
                demandTotals.find(query)));
    }
}
