package io.refinery.api.observability;

import io.refinery.api.Blocking;
import io.refinery.ops.observability.Alerts;
import io.refinery.ops.observability.Alerts.Alert;
import io.refinery.warehouse.observability.PipelineStats;
import io.refinery.warehouse.observability.PipelineStats.LayerStorage;
import io.refinery.warehouse.observability.PipelineStats.TableStorage;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.List;

/** What operators and the dashboard banner watch: the alerts that hold now and storage per layer. */
@RestController
@Tag(name = "Operations")
class ObservabilityController {

    record Storage(List<LayerStorage> layers, List<TableStorage> tables) {
    }

    private final ObjectProvider<Alerts> alerts;
    private final PipelineStats stats;

    ObservabilityController(ObjectProvider<Alerts> alerts, PipelineStats stats) {
        this.alerts = alerts;
        this.stats = stats;
    }

    @GetMapping("/api/v1/alerts")
    @Operation(summary = "Alerts that hold now: the Prometheus rules of ops/prometheus/refinery-alerts.yml, "
            + "evaluated in-process; critical first")
    Mono<List<Alert>> alerts() {
        return Blocking.call(() -> Blocking.facade(alerts, "ops").current());
    }

    @GetMapping("/api/v1/storage")
    @Operation(summary = "Warehouse storage per layer (raw, cleaned, served, quarantine, ops) and per table")
    Mono<Storage> storage() {
        return Blocking.call(() -> new Storage(stats.storageByLayer(), stats.storageByTable()));
    }
}
