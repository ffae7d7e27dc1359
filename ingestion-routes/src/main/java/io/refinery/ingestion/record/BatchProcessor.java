package io.refinery.ingestion.record;

import io.refinery.ingestion.DriftFinding;
import io.refinery.ingestion.DriftPolicy;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.contract.ContractEngine;
import io.refinery.ingestion.contract.DataContract;
import io.refinery.ingestion.contract.ParseOptions;
import io.refinery.ingestion.contract.Validation;
import io.refinery.ingestion.contract.Violation;
import io.refinery.ingestion.record.CleanedMapping.TypedRow;
import io.refinery.warehouse.cleaned.CleanedWriter;
import io.refinery.warehouse.cleaned.Lineage;
import io.refinery.warehouse.ingest.IngestRecords.QuarantineEntry;
import io.refinery.warehouse.served.ServedLayer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Decides the fate of every record of one landed batch: contract, drift policy, in-batch dedup by
 * key (the last record wins, the earlier ones are recorded as duplicates), then cleaned rows.
 * Deterministic for a given batch, contract and corrections, which is what makes replay exact.
 */
final class BatchProcessor {

    /** A landed batch to decide on. */
    record Batch(UUID batchId, String routeId, Entity entity, Instant receivedAt, List<Map<String, String>> records) {
    }

    /** The decision over a batch. */
    record Decision(List<TypedRow> cleaned, List<QuarantineEntry> quarantined, List<QuarantineEntry> duplicates,
                    List<DriftFinding> drift, boolean stop, String contractId) {
    }

    private static final double TYPE_CHANGE_SHARE = 0.5;
    private static final int TYPE_CHANGE_MIN_RECORDS = 3;

    private final ContractEngine engine;

    BatchProcessor(ContractEngine engine) {
        this.engine = engine;
    }

    /**
     * @param include    which record numbers take part (null: all)
     * @param policy     drift policy; null disables drift handling (re-process and replay)
     */
    Decision decide(Batch batch, DataContract contract, ParseOptions options, Map<String, String> mapping,
                    DriftPolicy policy, Set<Integer> include, Map<Integer, Map<String, String>> corrections) {
        Set<String> columns = new LinkedHashSet<>();
        for (Map<String, String> r : batch.records()) {
            columns.addAll(r.keySet());
        }
        corrections.values().forEach(c -> columns.addAll(c.keySet()));
        ColumnResolver.Resolution resolution = ColumnResolver.resolve(contract, columns, mapping);
        List<DriftFinding> drift = new ArrayList<>(resolution.findings());

        Instant now = Instant.now();
        long version = batch.receivedAt().toEpochMilli();
        List<Integer> validNos = new ArrayList<>();
        List<Map<String, Object>> validValues = new ArrayList<>();
        List<QuarantineEntry> quarantined = new ArrayList<>();
        Map<String, Integer> typeFailures = new HashMap<>();
        int considered = 0;
        for (int no = 0; no < batch.records().size(); no++) {
            if (include != null && !include.contains(no)) {
                continue;
            }
            considered++;
            Map<String, String> fields = batch.records().get(no);
            Map<String, String> correction = corrections.get(no);
            if (correction != null) {
                fields = new HashMap<>(fields);
                fields.putAll(correction);
            }
            Validation v = engine.validate(contract, ColumnResolver.canonical(fields, resolution.fieldByColumn()), options);
            if (v.valid()) {
                validNos.add(no);
                validValues.add(v.values());
            } else {
                v.violations().stream().filter(x -> x.rule().equals(Violation.TYPE))
                        .forEach(x -> typeFailures.merge(x.field(), 1, Integer::sum));
                quarantined.add(entry(batch, contract, no, v.violations(), correction, now));
            }
        }
        if (considered >= TYPE_CHANGE_MIN_RECORDS) {
            for (Map.Entry<String, Integer> e : typeFailures.entrySet()) {
                if (e.getValue() >= considered * TYPE_CHANGE_SHARE) {
                    drift.add(new DriftFinding(DriftFinding.TYPE_CHANGE, e.getKey(), e.getValue() + " of " + considered
                            + " values are not " + contract.field(e.getKey()).map(f -> f.type().name().toLowerCase())
                            .orElse("?")));
                }
            }
        }
        if (policy != null && policy != DriftPolicy.ACCEPT_AND_FLAG && drift.stream().anyMatch(BatchProcessor::triggers)) {
            String reason = "schema drift (" + policy.name().toLowerCase() + "): " + drift.stream()
                    .map(f -> f.change() + " " + f.column()).collect(Collectors.joining(", "));
            List<QuarantineEntry> all = new ArrayList<>();
            for (int no = 0; no < batch.records().size(); no++) {
                if (include == null || include.contains(no)) {
                    all.add(new QuarantineEntry(batch.batchId(), no, batch.routeId(), batch.entity().wireName(),
                            contract.id(), Violation.SCHEMA_DRIFT, drift.getFirst().column(), "", reason,
                            QuarantineEntry.OPEN, "", now, now));
                }
            }
            return new Decision(List.of(), all, List.of(), List.copyOf(drift), policy == DriftPolicy.STOP, contract.id());
        }

        // Dedup by key within the batch: the last record of a key wins, as a later re-delivery would.
        Map<Object, Integer> lastByKey = new HashMap<>();
        Object[] keys = new Object[validValues.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = key(contract, validValues.get(i));
            lastByKey.put(keys[i], i);
        }
        List<TypedRow> cleaned = new ArrayList<>(lastByKey.size());
        List<QuarantineEntry> duplicates = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            int no = validNos.get(i);
            int winner = lastByKey.get(keys[i]);
            if (winner == i) {
                cleaned.add(new TypedRow(validValues.get(i), new Lineage(batch.batchId(), no, version)));
            } else {
                duplicates.add(new QuarantineEntry(batch.batchId(), no, batch.routeId(), batch.entity().wireName(),
                        contract.id(), Violation.DUPLICATE, String.join(",", contract.key()), keyText(keys[i]),
                        "superseded by record " + validNos.get(winner) + " with the same key",
                        QuarantineEntry.DUPLICATE, "", now, now));
            }
        }
        return new Decision(cleaned, quarantined, duplicates, List.copyOf(drift), false, contract.id());
    }

    /** An absent optional column is reported but does not trip a drift policy: sources may omit it. */
    static boolean triggers(DriftFinding finding) {
        return !(finding.change().equals(DriftFinding.MISSING_COLUMN) && finding.detail().startsWith("optional"));
    }

    long write(CleanedWriter writer, Entity entity, Decision decision) {
        return CleanedMapping.write(writer, entity, decision.cleaned(), null);
    }

    /** Writes cleaned rows, collecting the demand cells in {@code demand} for a later refresh. */
    long write(CleanedWriter writer, Entity entity, Decision decision, ServedLayer.DemandTouch demand) {
        return CleanedMapping.write(writer, entity, decision.cleaned(), demand);
    }

    /**
     * A record's key as an object with value equality: the typed value, or the list of them for a compound key.
     * (Building a string per record, with its date-times formatted, was a twentieth of the MQTT path's CPU.)
     */
    private static Object key(DataContract contract, Map<String, Object> values) {
        if (contract.key().size() == 1) {
            return values.get(contract.key().getFirst());
        }
        Object[] parts = new Object[contract.key().size()];
        for (int k = 0; k < parts.length; k++) {
            parts[k] = values.get(contract.key().get(k));
        }
        return Arrays.asList(parts);
    }

    /** The key as the quarantine shows it: its values joined by commas. */
    private static String keyText(Object key) {
        return key instanceof List<?> parts ? parts.stream().map(String::valueOf).collect(Collectors.joining(","))
                : String.valueOf(key);
    }

    private static QuarantineEntry entry(Batch batch, DataContract contract, int no, List<Violation> violations,
                                         Map<String, String> correction, Instant now) {
        Violation first = violations.getFirst();
        String reason = violations.stream().map(v -> (v.field().isEmpty() ? "" : v.field() + ": ") + v.reason())
                .collect(Collectors.joining("; "));
        return new QuarantineEntry(batch.batchId(), no, batch.routeId(), batch.entity().wireName(), contract.id(),
                first.rule(), first.field(), first.value(), reason, QuarantineEntry.OPEN,
                correction == null ? "" : Payloads.encode(correction), now, now);
    }
}
