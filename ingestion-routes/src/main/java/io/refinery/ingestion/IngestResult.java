package io.refinery.ingestion;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What one ingest call did. {@code received = landed + skipped}; {@code landed = cleaned +
 * quarantined + duplicates}. {@code skipped} counts records of batches that had been fully
 * processed before (a re-delivery); {@code stopRequested} is set when the drift policy STOP fired.
 */
public record IngestResult(List<UUID> batchIds, long received, long landed, long cleaned, long quarantined,
                           long duplicates, long skipped, List<DriftFinding> drift, boolean stopRequested) {

    public static final IngestResult EMPTY = new IngestResult(List.of(), 0, 0, 0, 0, 0, 0, List.of(), false);

    public IngestResult plus(IngestResult o) {
        List<UUID> ids = new ArrayList<>(batchIds);
        ids.addAll(o.batchIds);
        List<DriftFinding> findings = new ArrayList<>(drift);
        o.drift.stream().filter(f -> !findings.contains(f)).forEach(findings::add);
        return new IngestResult(List.copyOf(ids), received + o.received, landed + o.landed, cleaned + o.cleaned,
                quarantined + o.quarantined, duplicates + o.duplicates, skipped + o.skipped, List.copyOf(findings),
                stopRequested || o.stopRequested);
    }

    /** The batch id of a single-batch result. */
    public UUID batchId() {
        return batchIds.isEmpty() ? null : batchIds.getFirst();
    }
}
