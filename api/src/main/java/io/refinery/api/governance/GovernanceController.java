package io.refinery.api.governance;

import io.refinery.api.Blocking;
import io.refinery.api.Inputs;
import io.refinery.api.problem.Problems;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.Ingestion;
import io.refinery.warehouse.lineage.LineageReads;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads that can carry personal data: supplier master data and raw payloads. Columns the contracts
 * tag {@code pii} are masked ({@value PiiMasking#MASK}) for everyone below admin.
 */
@RestController
@Tag(name = "Governance")
class GovernanceController {

    /** A page of rows; {@code masked} lists the columns hidden from this caller. */
    record Rows(String entity, List<String> masked, List<Map<String, Object>> rows) {
    }

    private final LineageReads reads;
    private final PiiMasking masking;
    private final ObjectProvider<Ingestion> ingestion;

    GovernanceController(LineageReads reads, PiiMasking masking, ObjectProvider<Ingestion> ingestion) {
        this.reads = reads;
        this.masking = masking;
        this.ingestion = ingestion;
    }

    @GetMapping("/api/v1/suppliers")
    @Operation(summary = "Suppliers (cleaned); personal data (contract tag pii) masked below admin")
    Mono<Rows> suppliers(@RequestParam(required = false) Integer limit, @RequestParam(required = false) Integer offset,
                         Principal principal) {
        int bounded = Inputs.bounded("limit", limit, 500, 1, 10_000);
        int from = Inputs.bounded("offset", offset, 0, 0, Integer.MAX_VALUE);
        return Blocking.call(() -> page(Entity.SUPPLIERS, reads.suppliers(from, bounded), principal));
    }

    @GetMapping("/api/v1/lineage/raw-batches/{batchId}/records")
    @Operation(summary = "A raw batch's records as received; personal data (contract tag pii) masked below admin")
    Mono<Rows> rawRecords(@PathVariable String batchId, Principal principal) {
        UUID id;
        try {
            id = UUID.fromString(batchId);
        } catch (IllegalArgumentException e) {
            throw Problems.invalidField("batchId", "not a UUID");
        }
        return Blocking.call(() -> {
            Entity entity = Entity.of(reads.rawBatchEntity(id)
                    .orElseThrow(() -> Problems.notFound("no raw batch " + batchId)));
            List<Map<String, String>> records = Blocking.facade(ingestion, "ingestion").rawRecords(id);
            return page(entity, records, principal);
        });
    }

    private <V> Rows page(Entity entity, List<Map<String, V>> rows, Principal principal) {
        var pii = masking.piiFields(entity);
        List<String> masked = PiiMasking.seesPii(principal) ? List.of() : List.copyOf(pii);
        return new Rows(entity.wireName(), masked, rows.stream().map(r -> masking.mask(r, pii, principal)).toList());
    }
}
