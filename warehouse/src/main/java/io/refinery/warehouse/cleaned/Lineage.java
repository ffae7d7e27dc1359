package io.refinery.warehouse.cleaned;

import java.util.UUID;

/**
 * Where a cleaned row came from: its raw record, and the version that orders re-deliveries (the
 * raw batch's receive time in epoch millis, so a replay of the same batch reproduces it exactly).
 */
public record Lineage(UUID batchId, int recordNo, long version) {
}
