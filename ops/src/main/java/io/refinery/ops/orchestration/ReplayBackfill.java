package io.refinery.ops.orchestration;

import io.refinery.ingestion.Entity;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.Requests.ReplayRequest;
import io.refinery.ingestion.Requests.ReplayResult;

import java.time.Duration;
import java.util.List;

/**
 * The backfill lane's step: rebuilds cleaned and served rows from raw for the chunk's time range,
 * entity by entity, through the ingestion facade's replay (idempotent, so a retried chunk is safe).
 */
final class ReplayBackfill implements BackfillStep {

    private final Ingestion ingestion;

    ReplayBackfill(Ingestion ingestion) {
        this.ingestion = ingestion;
    }

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String description() {
        return "Rebuilds cleaned and served rows from raw batches received in the range";
    }

    @Override
    public List<String> scopes() {
        return List.of("<from>/<to>");
    }

    @Override
    public Duration timeout() {
        return Duration.ofHours(2);
    }

    @Override
    public void run(JobContext context) {
        Entity[] entities = Entity.values();
        long records = 0;
        int batches = 0;
        for (int i = 0; i < entities.length && !context.cancelled(); i++) {
            ReplayResult result = ingestion.replay(new ReplayRequest(entities[i], null, context.rangeFrom(),
                    context.rangeTo(), null));
            records += result.records();
            batches += result.batches();
            context.progress((i + 1.0) / entities.length);
        }
        context.detail(batches + " batches, " + records + " records replayed");
    }
}
