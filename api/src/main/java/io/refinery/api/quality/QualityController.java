package io.refinery.api.quality;

import io.refinery.api.Blocking;
import io.refinery.api.Inputs;
import io.refinery.api.problem.Problems;
import io.refinery.ops.quality.CheckResult;
import io.refinery.ops.quality.QualityGates;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.regex.Pattern;

/** Quality gates: the newest result of every check, their history, and a run on demand (admin). */
@RestController
@Tag(name = "Quality")
class QualityController {

    private static final Pattern NAME = Pattern.compile("^[a-z_][a-z0-9_]{0,63}$");

    /** A table's spec in force: its version and how many checks it declares. */
    record TableChecks(String table, int version, int checks, List<String> gates) {
    }

    record Quality(QualityGates.Summary summary, List<CheckResult> results, List<TableChecks> tables) {
    }

    record Run(String runId, QualityGates.Summary summary, List<CheckResult> results) {
    }

    private final ObjectProvider<QualityGates> gates;

    QualityController(ObjectProvider<QualityGates> gates) {
        this.gates = gates;
    }

    @GetMapping("/api/v1/quality")
    @Operation(summary = "The newest result of every quality check, with counts by status and the failing blocking checks")
    Mono<Quality> quality() {
        return Blocking.call(() -> {
            QualityGates facade = facade();
            return new Quality(facade.summary(), facade.latest(), tables(facade));
        });
    }

    @GetMapping("/api/v1/quality/history")
    @Operation(summary = "Stored check results, newest first, optionally of one table and/or check; paged")
    Mono<QualityGates.HistoryPage> history(@RequestParam(required = false) String table,
                                           @RequestParam(required = false) String check,
                                           @RequestParam(required = false) Integer page,
                                           @RequestParam(required = false) Integer size) {
        String parsedTable = name("table", table);
        String parsedCheck = name("check", check);
        int parsedPage = Inputs.bounded("page", page, 0, 0, 100_000);
        int parsedSize = Inputs.bounded("size", size, 50, 1, 1000);
        return Blocking.call(() -> facade().history(parsedTable, parsedCheck, parsedPage, parsedSize));
    }

    @PostMapping("/api/v1/quality/run")
    @Operation(summary = "Run every quality check now, or those of one table (admin); returns this run's results")
    Mono<Run> run(@RequestParam(required = false) String table) {
        String parsedTable = name("table", table);
        return Blocking.call(() -> {
            QualityGates facade = facade();
            List<CheckResult> results;
            try {
                results = parsedTable == null ? facade.runAll() : facade.run(parsedTable);
            } catch (QualityGates.UnknownTableException e) {
                throw Problems.notFound(e.getMessage());
            }
            return new Run(results.isEmpty() ? null : results.getFirst().runId(), facade.summary(), results);
        });
    }

    private QualityGates facade() {
        return Blocking.facade(gates, "quality gates");
    }

    private static List<TableChecks> tables(QualityGates facade) {
        return facade.specs().stream().map(s -> new TableChecks(s.table(), s.version(), s.checks().size(),
                s.gates().stream().sorted().toList())).toList();
    }

    private static String name(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!NAME.matcher(value).matches()) {
            throw Problems.invalidField(field, "must be a lower-case name of letters, digits and '_' (at most 64)");
        }
        return value;
    }
}
