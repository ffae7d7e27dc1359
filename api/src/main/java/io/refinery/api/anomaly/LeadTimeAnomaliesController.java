package io.refinery.api.anomaly;

import io.refinery.api.Blocking;
import io.refinery.api.Inputs;
import io.refinery.api.problem.Problems;
import io.refinery.forecasting.LeadTimeAnomalies;
import io.refinery.forecasting.LeadTimeAnomaly;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.security.Principal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** Flagged supplier lead times: filter and page (viewers), acknowledge (planners). */
@RestController
@Validated
@RequestMapping("/api/v1/anomalies/lead-time")
@Tag(name = "Lead-time anomalies")
class LeadTimeAnomaliesController {

    record Page(List<LeadTimeAnomaly> items, long total, int page, int size) {
    }

    record Acknowledged(String poLineId, boolean acknowledged, String acknowledgedBy) {
    }

    private final ObjectProvider<LeadTimeAnomalies> anomalies;

    LeadTimeAnomaliesController(ObjectProvider<LeadTimeAnomalies> anomalies) {
        this.anomalies = anomalies;
    }

    @GetMapping
    @Operation(summary = "Flagged lead times, newest first; from/to filter the order date (inclusive days)")
    Mono<Page> find(@RequestParam(required = false) String supplier, @RequestParam(required = false) String sku,
                    @RequestParam(required = false) String location, @RequestParam(required = false) String from,
                    @RequestParam(required = false) String to, @RequestParam(required = false) Boolean acknowledged,
                    @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        int pageNo = Inputs.bounded("page", page, 0, 0, 1_000_000);
        int pageSize = Inputs.bounded("size", size, 50, 1, 1000);
        LocalDate fromDay = Inputs.date("from", from);
        LocalDate toDay = Inputs.date("to", to);
        var query = new LeadTimeAnomalies.Query(Inputs.code("supplier", supplier), Inputs.code("sku", sku),
                Inputs.code("location", location), fromDay == null ? null : fromDay.atStartOfDay(ZoneOffset.UTC).toInstant(),
                toDay == null ? null : toDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), acknowledged,
                pageNo * pageSize, pageSize);
        return Blocking.call(() -> {
            LeadTimeAnomalies facade = Blocking.facade(anomalies, "forecasting (lead-time anomalies)");
            return new Page(facade.find(query), facade.count(query), pageNo, pageSize);
        });
    }

    @PostMapping("/{poLineId}/acknowledge")
    @Operation(summary = "Acknowledge a flag (planner)")
    Mono<Acknowledged> acknowledge(@PathVariable @Pattern(regexp = "^[\\p{L}\\p{N}._:/#-]{1,128}$", message = "not a PO line id") String poLineId,
                                   Principal planner) {
        return Blocking.call(() -> {
            if (!Blocking.facade(anomalies, "forecasting (lead-time anomalies)").acknowledge(poLineId, planner.getName())) {
                throw Problems.notFound("no lead-time flag for PO line '" + poLineId + "'");
            }
            return new Acknowledged(poLineId, true, planner.getName());
        });
    }
}
